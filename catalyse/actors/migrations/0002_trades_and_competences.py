from django.db import migrations


def create_trades(apps, schema_editor):
    from catalyse.actors.trades import TRADES

    Trade = apps.get_model("actors", "Trade")
    Competence = apps.get_model("actors", "Competence")
    for t_pos, (code, name, competences) in enumerate(TRADES):
        trade, _ = Trade.objects.update_or_create(code=code, defaults={"name": name, "position": t_pos})
        for c_pos, (c_code, c_name) in enumerate(competences):
            Competence.objects.update_or_create(
                code=c_code, defaults={"name": c_name, "position": c_pos, "trade": trade}
            )


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]
    operations = [migrations.RunPython(create_trades, migrations.RunPython.noop)]
