"""The Chroma store: opening a client, the row format, and the store of chunks and documents."""
