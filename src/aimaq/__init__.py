"""aimaq — measure, compare and steer the innovation development of Kazakhstan's territories.

Layers (each only imports the ones above it):

``aimaq.dataset``
    The in-memory territory × indicator × period container every layer exchanges.
``aimaq.methods``
    Pure numerical step functions (normalise, aggregate, classify, ...); NumPy/SciPy only.
``aimaq.engine``
    Methodology specs (YAML), the pipeline that runs them, results and reproduction reports.
``aimaq.store``
    Storage (SQLAlchemy, SQLite by default, PostgreSQL by URL), imports, bundled seed data.
``aimaq.steering``
    Measures per class and the regional knowledge-management workflow.
``aimaq.services``
    CLI and web app; they only call the layers above.
"""

__version__ = "0.1.0"
