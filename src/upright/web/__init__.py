"""The web app: server-rendered pages (work without JavaScript) and a JSON API under /api."""
