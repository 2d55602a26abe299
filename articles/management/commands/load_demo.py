"""Load a small sample newsroom: sections, tags, a dozen articles (some with video), related lists.

Idempotent: a second run finds everything in place and creates nothing. The text is written for
this demo; the media are drawn and encoded on the fly.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles import actions
from articles.models import Article, Section, Tag
from media.ingest import ingest_bytes
from media.models import MediaItem
from media.captions import attach_captions
from media.samples import draw_photo, encode_clip

# (breadcrumb, kind, title, summary, paragraphs, sign-off, tags, hours ago, language)
STORIES = [
    (["Iraq", "Conflict", "Mosul"], "video", "Army engineers rebuild pontoon bridge over the Tigris",
     "A floating crossing links the two banks again after months of closure.",
     ["Army engineers finished a pontoon crossing over the Tigris on Monday, reconnecting neighbourhoods "
      "that had been cut off from each other since the winter.",
      "Residents lined the banks to watch the first lorries cross, a local council member said.",
      "The permanent bridge nearby is still being surveyed, and officials gave no date for its repair."],
     "S/SH 11", ["Infrastructure", "Reconstruction"], 2, "en"),
    (["Iraq", "Conflict", "Mosul"], "text", "Families return to eastern districts as water supply resumes",
     "Pumping stations are running again in four districts.",
     ["Water reached homes in four eastern districts for the first time in weeks, the provincial water "
      "directorate said on Sunday.",
      "Engineers replaced damaged pumps and cleared pipes blocked by debris.",
      "Aid groups said they would keep delivering bottled water until tests confirm the supply is safe."],
     "S/SH 11", ["Water", "Returnees"], 5, "en"),
    (["Iraq", "Economy"], "photo", "Date harvest brings buyers back to Basra market",
     "Traders report the busiest season in three years.",
     ["Wholesale buyers from across the south crowded Basra's date market this week as the harvest peaked.",
      "Growers said prices were steady, helped by lower transport costs.",
      "Exporters hope to reach neighbouring markets before the end of the year."],
     "M/AH 7", ["Agriculture", "Trade"], 9, "en"),
    (["Iraq", "Politics"], "text", "Provincial council approves reconstruction budget",
     "The plan puts schools and clinics first.",
     ["The provincial council voted on Wednesday to approve a reconstruction budget that sets schools and "
      "clinics as its first priorities.",
      "Members debated for six hours before the vote, which passed by a wide margin.",
      "The governor's office will publish tenders in the coming weeks."],
     "R/KN 3", ["Reconstruction", "Budget"], 20, "en"),
    (["Syria", "Health"], "video", "Mobile clinics reach villages north of Aleppo",
     "Teams vaccinated hundreds of children in a week.",
     ["Mobile medical teams visited eleven villages north of Aleppo this week, vaccinating children and "
      "checking on pregnant women.",
      "The teams travel in converted vans that carry a small laboratory and a cold store for vaccines.",
      "Organisers plan to extend the route to more villages next month."],
     "A/JB 14", ["Health", "Vaccination"], 3, "en"),
    (["Syria", "Economy"], "text", "Power station returns to service after repairs",
     "Evening outages are expected to shorten.",
     ["A power station serving the city's western districts returned to service after three months of "
      "repairs, the electricity ministry said.",
      "Officials expect evening outages to shorten from six hours to about two.",
      "Workshops and bakeries said the change would let them stay open longer."],
     "A/JB 14", ["Energy", "Infrastructure"], 30, "en"),
    (["Yemen", "Health"], "text", "Hospital in Aden opens new children's ward",
     "Forty beds and a neonatal unit were added.",
     ["A hospital in Aden opened a children's ward with forty beds and a neonatal unit on Thursday.",
      "Doctors said the ward would ease crowding that had forced them to share beds between patients.",
      "The equipment was delivered by sea last month."],
     "H/MS 2", ["Health", "Hospitals"], 26, "en"),
    (["Yemen", "Diplomacy"], "video", "Negotiators agree on prisoner exchange timetable",
     "The first exchange is planned within two weeks.",
     ["Negotiators meeting in a neutral capital agreed on a timetable for exchanging detainees, mediators "
      "said late on Friday.",
      "The first exchange is to take place within two weeks and will be overseen by humanitarian observers.",
      "Families of detainees welcomed the news but said they would wait to see it carried out."],
     "N/TR 9", ["Diplomacy", "Prisoners"], 50, "en"),
    (["Lebanon", "Politics"], "text", "Parliament schedules session on electricity reform",
     "Lawmakers will debate a long-delayed bill.",
     ["Parliament's speaker scheduled a session next week to debate a long-delayed electricity reform bill.",
      "The bill would create an independent regulator and change how tariffs are set.",
      "Several blocs said they would propose amendments."],
     "M/AH 7", ["Energy", "Parliament"], 70, "en"),
    (["Lebanon", "Economy"], "photo", "Tripoli port expands grain storage",
     "New silos double the port's capacity.",
     ["Tripoli's port inaugurated new grain silos on Tuesday, doubling its storage capacity.",
      "Port officials said the silos would help keep bread prices stable through the winter.",
      "The project took eighteen months to build."],
     "R/KN 3", ["Trade", "Agriculture"], 80, "en"),
    (["Afghanistan", "Security"], "text", "Border crossing reopens to trade after week-long closure",
     "Hundreds of lorries waited on both sides.",
     ["A major border crossing reopened to commercial traffic on Saturday after a week-long closure.",
      "Hundreds of lorries carrying fruit and building materials had been waiting on both sides.",
      "Traders said they lost perishable goods during the closure."],
     "N/TR 9", ["Trade", "Borders"], 100, "en"),
    (["Iraq", "Conflict", "Mosul"], "text", "فرق الهندسة تعيد فتح الجسر القديم أمام المشاة",
     "أعيد فتح الجسر القديم أمام المشاة بعد أعمال صيانة استمرت شهرين.",
     ["أعادت فرق الهندسة فتح الجسر القديم أمام المشاة صباح اليوم بعد أعمال صيانة استمرت شهرين.",
      "وقال مسؤول محلي إن حركة المركبات ستعود بعد انتهاء فحص الأساسات.",
      "ورحب السكان بالخطوة التي تختصر عليهم طريق الوصول إلى الأسواق."],
     "م/ع 5", ["Infrastructure"], 4, "ar"),
]

# Related lists by story index, in editorial order.
RELATED = {0: [1, 11, 3, 4], 1: [0, 11], 4: [6, 5], 7: [4], 8: [5], 2: [9, 3]}


class Command(BaseCommand):
    help = "Create a small sample newsroom (idempotent)."

    def handle(self, *args, **options):
        created = 0
        articles = []
        with transaction.atomic():
            for index, story in enumerate(STORIES):
                article, was_created = self._story(index, *story)
                articles.append(article)
                created += was_created
            for source, targets in RELATED.items():
                article = articles[source]
                wanted = [articles[t].pk for t in targets]
                current = list(article.related_links.values_list("target_id", flat=True))
                if current != wanted:
                    actions.save_article(actor=None, article=article, related_ids=wanted, base_version=article.version)
        self.stdout.write(
            f"Demo content: {created} article(s) created, {len(STORIES) - created} already present; "
            f"{Section.objects.count()} sections, {Article.objects.count()} articles, "
            f"{MediaItem.objects.count()} media items."
        )

    def _media(self, index: int, kind: str, title: str) -> MediaItem:
        media_title = f"Demo {kind} {index}"
        existing = MediaItem.objects.filter(title=media_title).first()
        if existing:
            return existing
        fields = {"title": media_title, "credit": "Newsroom demo", "alt_text": f"Illustration for: {title}"}
        if kind == "video":
            video = ingest_bytes(encode_clip(seconds=3, seed=index), filename="demo.mp4", **fields)
            captions = (
                "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n[Demo clip] Moving shapes stand in for news footage.\n\n"
                f"00:00:01.500 --> 00:00:03.000\n{title}\n"
            )
            return attach_captions(video, captions.encode(), language="en")
        return ingest_bytes(draw_photo(1280, 960, seed=index), filename="demo.jpg", **fields)

    def _story(self, index, crumbs, kind, title, summary, paragraphs, signoff, tag_names, hours_ago, language):
        section = Section.ensure_path(crumbs)
        existing = Article.objects.filter(section=section, title=title).first()
        if existing:
            return existing, False
        media = self._media(index, "video" if kind == "video" else "image", title)
        tags = [Tag.objects.get_or_create(name=name)[0] for name in tag_names]
        article = Article(
            title=title, kind=kind, summary=summary, section=section, signoff=signoff, source="Newsroom",
            language=language, lead_media=media, body="".join(f"<p>{p}</p>" for p in paragraphs),
            published_at=timezone.now() - timezone.timedelta(hours=hours_ago),
            pinned=index == 0,  # the lead story of the demo home page
        )
        actions.save_article(actor=None, article=article, tags=tags)
        actions.publish(actor=None, article=article)
        return article, True
