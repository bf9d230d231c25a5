"""``Person`` lives in the core (``kickcoach.person``: storage needs it below this package); imported from here too."""

from kickcoach.person import LOCAL_PREFIX, PARTNERS, ROLES, PartnerId, Person, Role, local_owner

__all__ = ["LOCAL_PREFIX", "PARTNERS", "ROLES", "PartnerId", "Person", "Role", "local_owner"]
