from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_security_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="ui_state",
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name="remembered views"),
        ),
    ]
