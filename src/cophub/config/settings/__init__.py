"""Settings modules: ``base`` (shared), ``demo`` (embedded, throwaway secret), ``test`` and
``production`` (refuses to start without its secrets). Pick one with DJANGO_SETTINGS_MODULE;
every value that differs between deployments comes from the environment."""
