"""Rule 14: the Task belongs to the agent who handled it, else to the integration user."""

from __future__ import annotations

from cxrecon.domain.interaction import Interaction
from cxrecon.domain.lookups import OrgView


def task_owner(interaction: Interaction, view: OrgView) -> str | None:
    if interaction.agent_id:
        user = view.users_by_federation_id.get(interaction.agent_id)
        if user and user.is_active:
            return user.id
    if interaction.agent_name:
        users = [u for u in view.users_by_name.get(interaction.agent_name.casefold(), ()) if u.is_active]
        if len(users) == 1:
            return users[0].id
    return view.integration_user_id
