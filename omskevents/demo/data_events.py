"""Demo data: the Forum and the commission session, their venues, programme and delegations."""

from omskevents.events.enums import Area, EventStatus, ProgrammeKind, Side

# The Forum opens this many days after the first run (on a working day).
FORUM_LEAD_DAYS = 42

# Found by (kind, number); the dates are set by the seeding.
FORUM_NUMBER = "XXII"
FORUM = {
    "title_ru": "XXII Форум межрегионального сотрудничества России и Казахстана",
    "title_en": "XXII Forum of Interregional Cooperation of Russia and Kazakhstan",
    "short_title": "XXII Форум",
    "status": EventStatus.PREPARING,
    "description": (
        "Ежегодный форум глав приграничных регионов России и Казахстана. Казахстан — ключевой "
        "внешнеэкономический партнёр Омской области: около 30 % внешнеторгового оборота региона, около 120 "
        "предприятий с участием казахстанского капитала, более 7 000 студентов из Казахстана в омских вузах. "
        "В программе: пленарное заседание, тематические секции и круглые столы, выставка, подписание "
        "соглашений, двусторонние встречи, молодёжная и культурная программы."
    ),
}
SESSION_NUMBER = "27"
SESSION = {
    "title_ru": "27-е заседание Межправительственной комиссии по сотрудничеству между Российской Федерацией "
    "и Республикой Казахстан",
    "title_en": "27th session of the Russia–Kazakhstan Intergovernmental Commission on Cooperation",
    "short_title": "27-е заседание МПК",
    "status": EventStatus.PREPARING,
    "description": "Заседание проходит в первый день XXII Форума.",
}

# name -> (address, capacity)
VENUES: dict[str, tuple[str, int | None]] = {
    "Конгресс-холл": ("г. Омск, ул. Ленина", 1500),
    "Правительство Омской области": ("г. Омск, ул. Красный Путь, 1", 120),
    "Омский государственный университет им. Ф. М. Достоевского": ("г. Омск, пр. Мира, 55а", 600),
    "Омский государственный аграрный университет им. П. А. Столыпина": ("г. Омск, Институтская пл., 1", 400),
    "Речной вокзал, набережная Иртыша": ("г. Омск, Иртышская набережная", 200),
    "Омский академический театр драмы": ("г. Омск, ул. Ленина, 8а", 700),
}
HALL, GOV = "Конгресс-холл", "Правительство Омской области"
OMSU = "Омский государственный университет им. Ф. М. Достоевского"
AGRO = "Омский государственный аграрный университет им. П. А. Столыпина"
RIVER, DRAMA = "Речной вокзал, набережная Иртыша", "Омский академический театр драмы"

# A moment in the programme: (the event's first or last day, hour, minute), in Omsk time.
FIRST, LAST = "first", "last"
Moment = tuple[str, int, int]
P, A = ProgrammeKind, Area

# (event: "forum" or "session", kind, area, title, starts, ends, venue, moderator)
PROGRAMME: list[tuple[str, str, str, str, Moment, Moment, str, str]] = [
    ("forum", P.EXHIBITION, "", "Выставка «Россия — Казахстан: потенциал межрегионального сотрудничества»",
     (FIRST, 9, 0), (LAST, 18, 0), HALL, ""),
    ("forum", P.SECTION, A.IRTYSH_LOGISTICS, "Секция «Иртыш — транспортный коридор: логистика и инфраструктура»",
     (FIRST, 10, 0), (FIRST, 13, 0), HALL, "Министр транспорта и дорожного хозяйства Омской области"),
    ("forum", P.SECTION, A.AGRICULTURE, "Секция «Агропромышленное сотрудничество и семеноводство»",
     (FIRST, 10, 0), (FIRST, 13, 0), AGRO, "Министр сельского хозяйства и продовольствия Омской области"),
    ("forum", P.SECTION, A.EDUCATION, "Секция «Образование без границ: академическая мобильность»",
     (FIRST, 11, 0), (FIRST, 13, 0), OMSU, "Проректор по международной деятельности ОмГУ"),
    ("forum", P.SECTION, A.MACHINE_BUILDING, "Секция «Промышленная кооперация: машиностроение и нефтехимия»",
     (FIRST, 14, 0), (FIRST, 17, 0), HALL, "Министр промышленности Омской области"),
    ("forum", P.ROUND_TABLE, A.RIVER_TOURISM, "Круглый стол «Речной туризм на Иртыше»",
     (FIRST, 14, 0), (FIRST, 16, 0), RIVER, ""),
    ("forum", P.ROUND_TABLE, A.BORDER_INFRASTRUCTURE, "Круглый стол «Приграничная инфраструктура и пункты пропуска»",
     (FIRST, 14, 0), (FIRST, 16, 30), GOV, ""),
    ("forum", P.YOUTH, A.YOUTH_CULTURE, "Молодёжный форум России и Казахстана",
     (FIRST, 15, 0), (FIRST, 18, 0), OMSU, ""),
    ("forum", P.CULTURAL, A.YOUTH_CULTURE, "Концерт мастеров искусств России и Казахстана",
     (FIRST, 19, 0), (FIRST, 21, 0), DRAMA, ""),
    ("forum", P.BILATERAL, "", "Встреча Губернатора Омской области с акимом Павлодарской области",
     (LAST, 9, 0), (LAST, 9, 45), GOV, ""),
    ("forum", P.BILATERAL, "", "Встреча Губернатора Омской области с акимом Северо-Казахстанской области",
     (LAST, 9, 45), (LAST, 10, 30), GOV, ""),
    ("forum", P.PLENARY, "", "Пленарное заседание XXII Форума межрегионального сотрудничества",
     (LAST, 11, 0), (LAST, 13, 0), HALL, ""),
    ("forum", P.SIGNING, "", "Церемония подписания межрегиональных и коммерческих соглашений",
     (LAST, 13, 0), (LAST, 13, 45), HALL, ""),
    ("forum", P.CULTURAL, A.RIVER_TOURISM, "Экскурсия по исторической части Омска и набережной Иртыша",
     (LAST, 15, 0), (LAST, 17, 0), RIVER, ""),
    ("session", P.PLENARY, "", "27-е заседание Межправительственной комиссии",
     (FIRST, 10, 0), (FIRST, 12, 30), GOV, ""),
    ("session", P.SIGNING, "", "Подписание протокола 27-го заседания Межправительственной комиссии",
     (FIRST, 12, 30), (FIRST, 13, 0), GOV, ""),
]  # fmt: skip

# (event, side, name, head, size, arrival: days from the event's first day; at 16:00 in Omsk)
DELEGATIONS: list[tuple[str, str, str, str, int, int]] = [
    ("forum", Side.RU, "Делегация Российской Федерации", "Федеральный министр (по согласованию)", 180, -1),
    ("forum", Side.KZ, "Делегация Республики Казахстан", "Министр торговли и интеграции Республики Казахстан",
     150, -1),
    ("forum", Side.KZ, "Делегация Павлодарской области", "Аким Павлодарской области", 45, -1),
    ("forum", Side.KZ, "Делегация Северо-Казахстанской области", "Аким Северо-Казахстанской области", 40, -1),
    ("session", Side.RU, "Российская часть Межправительственной комиссии",
     "Сопредседатель комиссии с российской стороны", 25, -1),
    ("session", Side.KZ, "Казахстанская часть Межправительственной комиссии",
     "Сопредседатель комиссии с казахстанской стороны", 25, -1),
]  # fmt: skip
