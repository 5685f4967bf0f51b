"""Chart builders (pure Altair specs), split by domain."""
