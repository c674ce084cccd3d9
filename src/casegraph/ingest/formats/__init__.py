"""Built-in ingestors, one module per format; importing registers them."""

from casegraph.ingest.formats import (  # noqa: F401
    archive,
    docx,
    estate_email,
    html,
    imessage,
    loadfile,
    mail,
    pdf,
    text,
)
