"""Beheer: the owners of projects, themalijnen and KPIs, and the projects without one."""

from ui import beheer_views, login

beheer_views.page(login.current_user())
