"""The archive: SQLite schema and storage, search, the Datasette integration, and the ``nianbao`` CLI."""
