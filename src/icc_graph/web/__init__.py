"""The web app: /sparql, the query page, and (beside them) resource pages; built by app.create_app."""
