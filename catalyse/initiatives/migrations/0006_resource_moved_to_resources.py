from django.db import migrations


class Migration(migrations.Migration):
    """Initiative resources now live in the resources app (its 0001 copied them, same ids and files)."""

    dependencies = [
        ('initiatives', '0005_partner_profiles'),
        ('resources', '0001_library_and_toolbox'),
    ]

    operations = [
        migrations.DeleteModel(
            name='Resource',
        ),
    ]
