"""Command line: ``python -m monitor ingest FILE``, ``python -m monitor build``,
``python -m monitor add-user NAME --role redacteur``, ``python -m monitor check-secrets`` and
``python -m monitor herinneringen [--digest] [--dry-run]``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from monitor.data.errors import DatasetUnreadable, MonitorError, StorageError

# Exit statuses: 0 done, 2 bad input (nothing changed), 3 the dataset folder could not be read
# or written (disk full, no permission, an unreadable dataset file; nothing changed).
EXIT_BAD_INPUT = 2
EXIT_DATASETS = 3


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum in de vorm JJJJ-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    """The command line: ingest, serve, build and add-user."""
    parser = argparse.ArgumentParser(prog="python -m monitor", description="Twentse Koers Monitor")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="een bronbestand importeren in datasets/")
    ingest.add_argument("file", type=Path)
    ingest.add_argument("--dataset-dir", type=Path, default=None,
                        help="map met de Parquet-bestanden (standaard: datasets/)")
    ingest.add_argument("--peildatum", type=_date, help="peildatum van de bron (JJJJ-MM-DD)")
    ingest.add_argument("--retrieved", type=_date, help="datum van ophalen (standaard: vandaag)")
    ingest.add_argument("--publisher", help="uitgever van de bron")
    ingest.add_argument("--title", help="titel van de bron")
    ingest.add_argument("--licence", help="licentie van de bron")
    ingest.add_argument("--source-id", help="eigen bron-id (standaard afgeleid van het bestand)")

    # `serve` passes everything after it to `streamlit run` (handled before parsing, below).
    sub.add_parser("serve", help="het dashboard starten; verdere opties gaan naar 'streamlit run'")

    build = sub.add_parser("build", help="alle ingebedde datasets opnieuw opbouwen")
    build.add_argument("--dataset-dir", type=Path, default=None)
    build.add_argument("--shared", type=Path, default=None,
                       help="map ../shared met de echte bronbestanden (standaard: naast de repo)")
    build.add_argument("--flat", action="store_true",
                       help="als losse bestanden bovenin de map (de vorm van de datasets in git); "
                            "niet voor een map die een server leest")
    build.add_argument("--if-missing", action="store_true",
                       help="alleen bouwen als datasets/ nog geen tabellen heeft")

    add_user = sub.add_parser("add-user", help="een lokaal account toevoegen of bijwerken in secrets.toml")
    add_user.add_argument("name", help="gebruikersnaam")
    add_user.add_argument("--role", default="lezer", choices=("redacteur", "lezer"),
                          help="rol: redacteur mag wijzigingen vastleggen (standaard: lezer)")
    add_user.add_argument("--secrets", type=Path, default=None,
                          help="pad naar secrets.toml (standaard: .streamlit/secrets.toml in de repo)")
    add_user.add_argument("--password-stdin", action="store_true",
                          help="lees het wachtwoord als één regel van stdin in plaats van het te vragen")
    check = sub.add_parser("check-secrets", help="secrets.toml controleren: leest het, meldt elk probleem")
    check.add_argument("--secrets", type=Path, action="append", default=None,
                       help="pad naar secrets.toml (standaard, zoals Streamlit: ~/.streamlit/secrets.toml "
                            "en .streamlit/secrets.toml in de repo; mag vaker, zoals secrets.files)")
    reminders = sub.add_parser("herinneringen", help="eigenaren met open voortgangsmeldingen een "
                               "herinnering mailen (of, met --digest, volgers het overzicht)")
    reminders.add_argument("--digest", action="store_true",
                           help="volgers mailen wat er veranderd is sinds hun vorige overzicht "
                                "(het eerste: sinds de vorige BO-datum)")
    reminders.add_argument("--dry-run", action="store_true",
                           help="alleen tonen wat er zou worden verstuurd; niets versturen of vastleggen")
    reminders.add_argument("--sinds", type=_date, default=None,
                           help="met --digest: veranderingen sinds deze datum voor iedereen "
                                "(standaard: het vorige overzicht van elke volger)")
    reminders.add_argument("--datum", type=_date, default=None,
                           help="rekenen alsof het vandaag deze datum is (standaard: vandaag)")
    reminders.add_argument("--dataset-dir", type=Path, default=None)
    reminders.add_argument("--secrets", type=Path, action="append", default=None,
                           help="pad naar secrets.toml met [smtp] (standaard zoals check-secrets)")
    return parser


def _check_secrets(paths: list[Path] | None) -> int:
    """Print what the monitor will make of the secrets: 0 fine (or no file), 2 problems."""
    from monitor.data import auth, secrets_check

    # Streamlit's default secrets.files for a server started in the repository (make run, serve).
    paths = paths or [Path.home() / ".streamlit" / "secrets.toml", auth.DEFAULT_SECRETS]
    found = secrets_check.read(paths)
    if found.problems:
        for problem in found.problems:
            print(problem, file=sys.stderr)
        print("Zolang dit zo is, stopt elke pagina met een melding en kan niemand inloggen of iets "
              "vastleggen.", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not found.found:
        print(f"Geen secrets-bestand ({', '.join(map(str, paths))}): iedereen mag kijken, niemand kan "
              "inloggen of iets vastleggen.")
        return 0
    config = found.config
    how = "OIDC ([auth])" if auth.oidc_configured(config) else f"{len(auth.local_users(config))} lokale account(s)"
    view = "alleen na inloggen" if auth.login_required(config) else "voor iedereen"
    print(f"{', '.join(found.sources)} is in orde: inloggen via {how}; bekijken {view}.")
    from monitor.notify import smtp

    if "smtp" in config:  # the mail relay of `herinneringen`: wrong, it stops only the mail
        try:
            print(f"Mailserver ([smtp]): {smtp.from_config(config, ', '.join(found.sources)).describe()}.")
        except smtp.SmtpSettingsError as exc:
            print(f"{exc} Herinneringen en overzichten worden zo niet verstuurd.", file=sys.stderr)
            return EXIT_BAD_INPUT
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:
        from ui.serve import main as serve_main

        return serve_main(argv[1:])
    args = parser.parse_args(argv)
    if args.command == "check-secrets":
        return _check_secrets(args.secrets)
    if args.command == "herinneringen":
        from monitor.notify import command

        try:
            return command.run(digest=args.digest, dry_run=args.dry_run, today=args.datum or date.today(),
                               since=args.sinds, dataset_dir=args.dataset_dir, secrets=args.secrets)
        except MonitorError as exc:
            print(str(exc), file=sys.stderr)
            print("Er is niets verstuurd.", file=sys.stderr)
            return EXIT_BAD_INPUT
    try:
        if args.command in ("ingest", "build"):
            from monitor.data import store

            # A start: finish an import killed after its commit point, remove what a killed
            # writer left, before anything reads the tables.
            for line in store.recover(args.dataset_dir):
                print(f"Datasetmap hersteld: {line}", file=sys.stderr)
        if args.command == "ingest":
            from monitor.ingest import ingest_file

            overrides = {
                "peildatum": args.peildatum, "publisher": args.publisher, "title": args.title,
                "licence": args.licence, "source_id": args.source_id,
            }
            report = ingest_file(args.file, args.dataset_dir, retrieved=args.retrieved,
                                 source_overrides={k: v for k, v in overrides.items() if v})
            print(report.summary())
            return 0
        if args.command == "build":
            from monitor.data.build import build

            return build(args.dataset_dir, shared=args.shared, if_missing=args.if_missing, flat=args.flat)
        if args.command == "add-user":
            from monitor.data import auth

            password = auth.read_new_password(args.password_stdin)
            path = auth.add_user(args.name, args.role, password, args.secrets)
            print(f"Account '{args.name}' (rol {args.role}) opgeslagen in {path}.")
            if auth.oidc_configured(auth.load_secrets_file(path)):
                print("Let op: [auth] is ingesteld, dus er wordt ingelogd via OIDC; lokale accounts "
                      "worden dan niet gebruikt.", file=sys.stderr)
            return 0
    except StorageError as exc:
        print(str(exc), file=sys.stderr)  # says itself what did (not) change
        return EXIT_DATASETS
    except DatasetUnreadable as exc:
        print(str(exc), file=sys.stderr)
        print("Er is niets gewijzigd.", file=sys.stderr)
        return EXIT_DATASETS
    except MonitorError as exc:
        print(str(exc), file=sys.stderr)
        print("Er is niets gewijzigd.", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 1


if __name__ == "__main__":
    sys.exit(main())
