"""Every evaluation page of the demo frameworks (each approach, scales, a revised definition, a returned measurement)
renders for a visitor and for an animator, and the visitor's pages hold only published items."""

import pytest
from django.test import Client
from django.urls import reverse

from catalyse.actors import demo as actors_demo
from catalyse.evaluation import demo
from catalyse.evaluation.models import Framework, Indicator, Measurement
from catalyse.initiatives import demo as initiatives_demo

pytestmark = pytest.mark.django_db


def test_the_demo_evaluation_pages_render_for_visitors_and_animators(animator):
    actors_demo.load()
    initiatives_demo.load()
    demo.load()
    staff = Client()
    staff.force_login(animator)
    visitor = Client()
    for framework in Framework.objects.select_related("initiative"):
        slug = framework.initiative.slug
        assert staff.get(reverse("evaluation:overview", args=[slug])).status_code == 200
        assert staff.get(reverse("evaluation:review", args=[slug])).status_code == 200
        overview = visitor.get(reverse("evaluation:overview", args=[slug]))
        if overview.status_code == 404:
            continue  # an initiative visitors may not see
        for indicator in Indicator.objects.filter(initiative=framework.initiative, is_public=False):
            assert indicator.name not in overview.content.decode()
    for indicator in Indicator.objects.select_related("initiative"):
        args = [indicator.initiative.slug, indicator.pk]
        assert staff.get(reverse("evaluation:indicator", args=args)).status_code == 200
        assert staff.get(reverse("evaluation:indicator_edit", args=args)).status_code == 200
        assert visitor.get(reverse("evaluation:indicator", args=args)).status_code in (200, 404)
    returned = Measurement.objects.select_related("indicator__initiative").get(status="returned")
    page = staff.get(reverse("evaluation:measurement_edit", args=[returned.indicator.initiative.slug, returned.pk]))
    assert returned.review_note in page.content.decode()
