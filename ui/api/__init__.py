"""The HTTP API (FastAPI) over the same Assistant, store and Ingestor the CLI uses.

`ui.api.app.create_app` builds it; routes/ has one router per resource; schemas.py and
openai_models.py are the wire formats, errors.py the one error shape, deps.py what routes share.
"""
