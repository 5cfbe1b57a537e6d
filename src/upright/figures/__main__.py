"""Print figures.css: `uv run python -m upright.figures > src/upright/web/static/figures.css`."""

from upright.figures import stylesheet_css

print(stylesheet_css(), end="")
