"""`upright serve`: the web app. Personal mode listens on loopback only unless forced."""

from __future__ import annotations

import ipaddress

import typer

from upright.cli.output import err_console

__all__ = ["is_loopback", "register"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option(None, help="Address to listen on (default 127.0.0.1, or UPRIGHT_HOST)."),
        port: int = typer.Option(None, help="Port (default 8000, or UPRIGHT_PORT)."),
        allow_remote: bool = typer.Option(
            False,
            "--allow-remote",
            help="Listen on a non-loopback address in personal mode (your data on the network).",
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
        from upright.web.app import create_app

        settings = get_settings()
        host = host or settings.host
        port = port or settings.port
        if (
            settings.mode == "personal"
            and not is_loopback(host)
            and not (allow_remote or settings.allow_remote)
        ):
            err_console.print(
                f"[bold red]Refusing to listen on {host}:[/] personal mode keeps your health data on this "
                "computer. Use 127.0.0.1, or pass --allow-remote if you really mean it."
            )
            raise typer.Exit(2)
        try:
            web_app = create_app(settings)
        except UprightError as exc:
            err_console.print(f"[bold red]Upright cannot start:[/] {exc}", markup=True, highlight=False)
            raise typer.Exit(1) from None
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
                # builds its own from the same environment (nothing is shared but the database).
                web_app.state.db.dispose()
                uvicorn.run(
                    "upright.web.app:create_app", factory=True, workers=workers,
                    host=host, port=port, log_level="warning", access_log=False,
                )  # fmt: skip
        except UprightError as exc:
            err_console.print(f"[bold red]Upright cannot start:[/] {exc}", markup=True, highlight=False)
            raise typer.Exit(1) from None
