"""Operating a deployment: backups that restore (``cophub backup``, ``cophub restore``),
background tasks that always reach a final state (``cophub tasks_recover``, ``cophub
db_worker``), and stored files that agree with the database (``cophub check_storage``)."""
