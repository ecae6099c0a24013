"""Operating a deployment: backups that restore (``cophub backup``, ``cophub restore``)."""
