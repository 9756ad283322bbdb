"""One Website per canonical origin for the sites that existed before websites did.

Sites of different surveys with the same origin (http://WWW.HZ.gov.cn:80/ and
http://www.hz.gov.cn/index.html) become one Website. Its name, level and
division code are those of the site in the latest survey (by year, then the
survey created last), the way a later site list renames a website.
"""

from django.db import migrations

from govsite.sites.origin import canonical_origin


def create_websites(apps, schema_editor):
    Site = apps.get_model("surveys", "Site")
    Website = apps.get_model("surveys", "Website")
    latest: dict[str, object] = {}
    members: dict[str, list[int]] = {}
    for site in Site.objects.select_related("survey").order_by("survey__year", "survey_id", "id").iterator():
        origin = canonical_origin(site.url)
        latest[origin] = site
        members.setdefault(origin, []).append(site.pk)
    for origin, site in latest.items():
        website, _ = Website.objects.get_or_create(
            origin=origin,
            defaults={"name": site.name, "level": site.level, "division_code": site.division_code},
        )
        Site.objects.filter(pk__in=members[origin]).update(website=website)


def forget_websites(apps, schema_editor):
    Site = apps.get_model("surveys", "Site")
    Site.objects.update(website=None)
    apps.get_model("surveys", "Website").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0003_website"),
    ]

    operations = [
        migrations.RunPython(create_websites, forget_websites),
    ]
