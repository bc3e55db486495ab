from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

_reset_done = reverse_lazy("accounts:password_reset_done")

urlpatterns = [
    path("compte/", views.profile, name="profile"),
    path("compte/inscription/", views.signup, name="signup"),
    path("compte/verifier/<str:token>/", views.verify, name="verify"),
    path("compte/verification/", views.verification_resend, name="verification_resend"),
    path("compte/connexion/", views.login_view, name="login"),
    path("compte/connexion/code/", views.login_code, name="login_code"),
    path("compte/deconnexion/", views.logout_view, name="logout"),
    path("compte/sessions/", views.sessions, name="sessions"),
    path("compte/double-authentification/", views.two_factor, name="two_factor"),
    path("compte/jetons/", views.tokens, name="tokens"),
    path("compte/donnees/", views.data_export, name="data_export"),
    path("compte/supprimer/", views.delete_account, name="delete"),
    path("compte/adresse/", views.email_change, name="email_change"),
    path("compte/adresse/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path("compte/suggestions/", views.suggestions_inbox, name="suggestions"),
    path("compte/suggestions/<int:pk>/", views.suggestion_review, name="suggestion_review"),
    path("compte/organisations/<slug:slug>/inviter/", views.invite, name="invite"),
    path("compte/invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("compte/mot-de-passe/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/form_auth.html", success_url=reverse_lazy("accounts:profile"),
        extra_context={"title": "Changer de mot de passe"}), name="password_change"),
    path("compte/mot-de-passe/oubli/", views.PasswordResetView.as_view(
        template_name="accounts/form_auth.html", email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt", success_url=_reset_done,
        extra_context={"title": "Mot de passe oublié"}), name="password_reset"),
    path("compte/mot-de-passe/oubli/envoye/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/message.html",
        extra_context={"title": "Courriel envoyé",
                       "text": "Si un compte existe pour cette adresse, un lien de réinitialisation a été envoyé."}),
        name="password_reset_done"),
    path("compte/reinitialiser/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/form_auth.html", success_url=reverse_lazy("accounts:login"),
        extra_context={"title": "Nouveau mot de passe"}), name="password_reset_confirm"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/<int:ct>/<str:pk>/", views.moderation_item, name="moderation_item"),
    path("suggerer/<int:ct>/<str:pk>/", views.suggest, name="suggest"),
    path("admin-audit/", views.audit_log, name="audit"),
    path("confidentialite/", views.privacy, name="privacy"),
]
