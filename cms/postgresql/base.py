"""Django's PostgreSQL backend, with every round trip under a deadline.

Settings (cms.settings, from the environment): ``connect_timeout`` (libpq),
``statement_timeout`` and ``lock_timeout`` (sent as startup options, so the
server ends a long query or a long wait for a row lock itself), and
``OPTIONS["deadline"]``: seconds after which a round trip the server never
answered is cut by the client (cms.postgresql.deadlines). Each ends as
Django's ``OperationalError``: a 503 with ``Retry-After`` in the API.
"""

from django.db.backends.postgresql import base

from cms.postgresql.deadlines import deadline


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Permanent: every query of this connection (Django's own wrappers,
        # e.g. execute_wrapper(), are pushed and popped around it).
        self.execute_wrappers.append(self._execute_within_deadline)

    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("deadline", None)
        return params

    @property
    def deadline_seconds(self) -> float:
        return float(self.settings_dict["OPTIONS"].get("deadline") or 0)

    def _within_deadline(self):
        try:
            fileno = self.connection.pgconn.socket
        except Exception:  # no connection, or a closed one: nothing to cut
            fileno = -1
        return deadline(fileno=fileno, seconds=self.deadline_seconds)

    def _execute_within_deadline(self, execute, sql, params, many, context):
        with self._within_deadline():
            return execute(sql, params, many, context)

    def init_connection_state(self):
        with self._within_deadline():
            super().init_connection_state()

    def is_usable(self):
        # CONN_HEALTH_CHECKS: a kept connection to a stopped server is not
        # usable, rather than a wait for ever.
        with self._within_deadline():
            return super().is_usable()

    def _commit(self):
        with self._within_deadline():
            return super()._commit()

    def _rollback(self):
        with self._within_deadline():
            return super()._rollback()
