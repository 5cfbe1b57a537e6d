"""`upright serve`: the web app. Personal mode listens on loopback only.

Listening beyond loopback (`--allow-remote`) needs an access code: given in UPRIGHT_ACCESS_CODE, made up
with `--new-access-code`, or set at an earlier start (only its hash is stored). Without one it refuses
to start. Browsers then log in once (/login) and carry a cookie."""

from __future__ import annotations

import os

import typer

from upright.cli.output import err_console

__all__ = ["register"]

REMOTE_WARNING = (
    "[bold red]WARNING: Upright is listening on {host}, beyond this computer.[/] Anyone on your network who "
    "knows the access code can read and change your health data. The traffic is NOT encrypted: on a "
    "network you do not fully trust, put Upright behind a TLS (https) proxy, or stop it and use 127.0.0.1."
)


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option(None, help="Address to listen on (default 127.0.0.1, or UPRIGHT_HOST)."),
        port: int = typer.Option(None, help="Port (default 8000, or UPRIGHT_PORT)."),
        allow_remote: bool = typer.Option(
            False,
            "--allow-remote",
            help="Listen on a non-loopback address (your data on the network; needs an access code).",
        ),
        new_access_code: bool = typer.Option(
            False,
            "--new-access-code",
            help="With --allow-remote: make up a new access code, print it once and store its hash.",
        ),
        workers: int = typer.Option(
            1,
            "--workers",
            min=1,
            max=64,
            help="Server processes sharing the port (one per CPU core is plenty).",
        ),
    ) -> None:
        """Start the web app (what `make run` does)."""
        import uvicorn

        from upright.config import get_settings
        from upright.errors import UprightError
        from upright.services.access import has_access_code, set_access_code
        from upright.services.access import new_access_code as make_code
        from upright.web.app import create_app, load_secrets

        settings = get_settings()
        try:
            settings.check_mode()
        except UprightError as exc:
            err_console.print(f"[bold red]Upright cannot start:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        host = host or settings.host
        port = port or settings.port
        from upright.web.security import is_loopback  # the web stack only when serving

        remote = not is_loopback(host)
        if settings.is_clinic:
            _serve_clinic(settings, host=host, port=port, workers=workers)
            return
        if remote and not (allow_remote or settings.allow_remote):
            err_console.print(
                f"[bold red]Refusing to listen on {host}:[/] personal mode keeps your health data on this "
                "computer. Use 127.0.0.1, or pass --allow-remote (with an access code) if you really mean it."
            )
            raise typer.Exit(2)
        settings = settings.model_copy(update={"host": host, "port": port, "allow_remote": remote})
        try:
            web_app = create_app(settings)
        except UprightError as exc:
            err_console.print(f"[bold red]Upright cannot start:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        if remote:
            code = settings.access_code.get_secret_value() if settings.access_code else None
            if new_access_code:
                code = make_code()
            with web_app.state.db.transaction() as s:
                if code is not None:
                    try:
                        set_access_code(s, code)
                    except UprightError as exc:
                        err_console.print(
                            f"[bold red]Upright cannot start:[/] {exc}", highlight=False, soft_wrap=True
                        )
                        raise typer.Exit(1) from None
                elif not has_access_code(s):
                    err_console.print(
                        "[bold red]Refusing to start:[/] listening beyond this computer needs an access code. "
                        "Set UPRIGHT_ACCESS_CODE (at least 12 characters) or pass --new-access-code."
                    )
                    raise typer.Exit(2)
            load_secrets(web_app)
            err_console.print(REMOTE_WARNING.format(host=host), highlight=False)
            if new_access_code:
                err_console.print(f"Your access code (shown once): [bold]{code}[/]", highlight=False)
        web_app.state.listen_port = port
        from contextlib import nullcontext

        from upright.store.backup import server_lock, sqlite_path

        db_file = sqlite_path(settings.effective_database_url)
        # While it runs, `upright restore` refuses to swap the database under it.
        running = server_lock(db_file, exclusive=False) if db_file else nullcontext()
        try:
            with running:
                err_console.print(f"Upright is running at http://{host}:{port}/  (press Ctrl+C to stop)")
                if workers == 1:
                    uvicorn.run(web_app, host=host, port=port, log_level="warning", access_log=False)
                    return
                # The app above checked the catalog and migrated the database once; each worker process
                # builds its own from the same environment (nothing is shared but the database), so the
                # address and remote access chosen here go into that environment.
                web_app.state.db.dispose()
                os.environ.update(
                    UPRIGHT_HOST=host, UPRIGHT_PORT=str(port), UPRIGHT_ALLOW_REMOTE=str(remote).lower()
                )
                uvicorn.run(
                    "upright.web.app:create_app", factory=True, workers=workers,
                    host=host, port=port, log_level="warning", access_log=False,
                )  # fmt: skip
        except UprightError as exc:
            err_console.print(f"[bold red]Upright cannot start:[/] {exc}", markup=True, highlight=False)
            raise typer.Exit(1) from None


def _serve_clinic(settings: object, *, host: str, port: int, workers: int) -> None:
    """Clinic mode: accounts everywhere. Beyond loopback only behind a TLS proxy (UPRIGHT_BEHIND_TLS=1,
    which also marks the session cookie Secure); on loopback for a trial."""
    import uvicorn

    from upright.config import Settings
    from upright.errors import UprightError
    from upright.web.app import create_app
    from upright.web.security import is_loopback

    assert isinstance(settings, Settings)
    if not is_loopback(host) and not settings.behind_tls:
        err_console.print(
            f"[bold red]Refusing to listen on {host}:[/] clinic mode carries patients' health data and "
            "passwords. Put Upright behind a TLS (https) proxy and set UPRIGHT_BEHIND_TLS=1, or use "
            "127.0.0.1 for a trial."
        )
        raise typer.Exit(2)
    settings = settings.model_copy(update={"host": host, "port": port})
    try:
        web_app = create_app(settings)
    except UprightError as exc:
        err_console.print(f"[bold red]Upright cannot start:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    web_app.state.listen_port = port
    err_console.print(f"Upright (clinic mode) is running at http://{host}:{port}/  (press Ctrl+C to stop)")
    if workers == 1:
        uvicorn.run(web_app, host=host, port=port, log_level="warning", access_log=False,
                    proxy_headers=settings.behind_tls)  # fmt: skip
        return
    web_app.state.db.dispose()
    os.environ.update(UPRIGHT_HOST=host, UPRIGHT_PORT=str(port))
    uvicorn.run(
        "upright.web.app:create_app", factory=True, workers=workers, host=host, port=port,
        log_level="warning", access_log=False, proxy_headers=settings.behind_tls,
    )  # fmt: skip
