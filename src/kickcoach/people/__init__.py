"""People: accounts (argon2id hashes, roles, partner a/b), login sessions and throttling.

``Person`` (``kickcoach.core.person``) is the speaker identity every flow receives; ``accounts``,
``sessions`` and ``throttle`` hold the database-backed parts (imported on their own, so storage can use
``Person`` without a cycle).
"""

from kickcoach.core.person import PARTNERS, ROLES, Person, local_owner

__all__ = ["PARTNERS", "ROLES", "Person", "local_owner"]
