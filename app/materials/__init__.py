"""Electronic materials (电子材料): the page images of a case's materials.

Owns: ``intake`` (a page from a file: checked, normalised, compressed — images and PDFs),
``pdfcheck`` (what a PDF is refused for before it is rendered: size, active content),
``stores`` (where page bytes live: the database, a file directory; one interface; the
store chosen in config.toml) and ``s3store`` (an S3-compatible bucket, through boto3),
``records`` (pages written with a case's outcome, the page list its audit event carries,
and :func:`~app.materials.records.verify_pages`) and ``viewing`` (page metadata, images and
thumbnails for the roles that handle the case; viewing a page is audited) and ``marking``
(a page marked unreadable, which becomes a 补正 item, or its mark cleared; a page rotated).

Sits just above ``app.audit``: may import the foundation modules of ``app``, ``app.db`` and
``app.audit``. ``app.cases`` calls it inside its own units of work.
"""
