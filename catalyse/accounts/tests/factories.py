import factory

from catalyse.accounts.models import Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    username = factory.SelfAttribute("email")
    display_name = factory.Sequence(lambda n: f"Membre {n}")
    email_verified = True
    role = Role.MEMBER
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide")

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()
