"""Demo that can be tried: one account per role, items waiting in the moderation queue and edit suggestions (the
resources demo adds documents with files on three initiatives). Loaded by the initiatives demo (it needs its
organisations and initiatives); idempotent.

Every account shares DEMO_PASSWORD, printed by `load_demo` and listed in the README. A production deployment
never runs `load_demo`: these accounts would let anyone in.
"""

from catalyse.accounts.models import Role, Suggestion, SuggestionKind, User
from catalyse.accounts.moderation import suggestion_create
from catalyse.actors.models import Membership, MembershipRole, Organisation, Profile, PublicationStatus
from catalyse.actors.services import organisation_propose
from catalyse.territories.keys import territory_from_key

from .models import Initiative, Partnership
from .models import Role as PartnerRole
from .services import initiative_create

DEMO_PASSWORD = "demo-catalyse-2026"  # noqa: S105  (public on purpose: demo only, never in production)
EDITED_ORGANISATION = "ville-de-loos-en-gohelle"  # carries "Transition d'une ancienne cité minière"

# email, display name, network role, kind of membership ("editor", "partner" or None)
ACCOUNTS = [
    ("membre@demo.catalyse.test", "Membre (démo)", Role.MEMBER, None),
    ("editeur@demo.catalyse.test", "Éditeur d'organisation (démo)", Role.MEMBER, "editor"),
    ("partenaire@demo.catalyse.test", "Partenaire d'initiative (démo)", Role.MEMBER, "partner"),
    ("animateur@demo.catalyse.test", "Animateur (démo)", Role.ANIMATOR, None),
    ("admin@demo.catalyse.test", "Administrateur (démo)", Role.ADMIN, None),
]


def _account(email: str, name: str, role: str) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(
        email=email,
        password=DEMO_PASSWORD,
        display_name=name,
        role=role,
        email_verified=True,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    return user, True


def _partner_organisation() -> Organisation | None:
    """A partner (not the carrier) of a demo initiative, so the partner account sees partners-only pages."""
    partnership = (
        Partnership.objects.exclude(role=PartnerRole.PORTEUR)
        .exclude(organisation__slug=EDITED_ORGANISATION)
        .select_related("organisation")
        .order_by("initiative__slug", "organisation__slug")
        .first()
    )
    return partnership.organisation if partnership else None


def load() -> str:
    created = 0
    people = {}
    for email, name, role, membership in ACCOUNTS:
        user, new = _account(email, name, role)
        created += new
        people[membership or role] = user
        organisation = {
            "editor": Organisation.objects.filter(slug=EDITED_ORGANISATION).first(),
            "partner": _partner_organisation(),
        }.get(membership)
        if organisation is not None:
            Membership.objects.get_or_create(
                user=user,
                organisation=organisation,
                defaults={"role": MembershipRole.EDITOR if membership == "editor" else MembershipRole.MEMBER},
            )
    _moderation(people[Role.MEMBER], people["editor"])
    return f"{len(ACCOUNTS)} comptes de démonstration ({created} créés), mot de passe commun : {DEMO_PASSWORD}"


def _moderation(member: User, editor: User) -> None:
    """A proposed organisation and a proposed initiative wait for an animator; two suggestions for editors."""
    if not Organisation.objects.filter(slug="ressourcerie-du-val-fictif").exists():
        organisation_propose(
            user=member,
            slug="ressourcerie-du-val-fictif",
            name="Ressourcerie du Val (fictif)",
            description="Organisation fictive proposée par un membre : une ressourcerie qui cherche des partenaires.",
            status=PublicationStatus.PENDING,
            profile=Profile.GENERAL_INTEREST,
            head_office=territory_from_key("commune:62498"),
            website="https://ressourcerie-du-val.example.org/",
            is_fictitious=True,
        )
    if not Initiative.objects.filter(slug="jardin-des-cites-fictif").exists():
        initiative_create(
            created_by=editor,
            slug="jardin-des-cites-fictif",
            title="Jardin partagé des cités (fictif)",
            summary="Initiative fictive proposée par un éditeur : un jardin partagé entre deux cités.",
            recit="Un **jardin** cultivé par les habitants de deux cités voisines.",
            is_fictitious=True,
        )
    if Suggestion.objects.filter(author=member).exists():
        return
    initiative = Initiative.objects.filter(slug="transition-de-la-cite-miniere").first()
    if initiative is not None:
        suggestion_create(
            obj=initiative,
            kind=SuggestionKind.EDIT,
            field_name="summary",
            author=member,
            proposed_value=initiative.summary + " Les habitants y participent depuis le début.",
            message="Proposition de démonstration.",
        )
    organisation = Organisation.objects.filter(slug=EDITED_ORGANISATION).first()
    if organisation is not None:
        suggestion_create(
            obj=organisation,
            kind=SuggestionKind.ERROR,
            author=member,
            message="Signalement de démonstration : l'adresse du site web a peut-être changé.",
        )
