"""Demo data: the action plan (tasks with their stories), the committee's meetings, their minutes and decisions."""

from dataclasses import dataclass

from omskevents.committee.enums import WorkingGroupKind
from omskevents.events.enums import Area, EventKind
from omskevents.workplan.enums import Priority

# ---------------------------------------------------------------------------------------------------------------
# The action plan. `due` is days from today; `story` is where the task is now:
#   new        assigned, nothing reported
#   started    in progress, taken up without a report
#   progress   in progress with a progress report
#   reported   a report of completion awaits the controller
#   accepted   removed from control
#   returned   returned for rework with the controller's note
#   cancelled  withdrawn by the secretariat


@dataclass(frozen=True)
class TaskSpec:
    number: str
    area: str
    title: str
    lead: str
    due: int
    story: str = "new"
    co: tuple[str, ...] = ()
    priority: str = Priority.NORMAL
    group: str | None = None
    event: str = EventKind.FORUM
    parent: str | None = None
    depends: tuple[str, ...] = ()
    follow_up: bool = False
    anchor_days: int | None = None
    decision: tuple[int, str] | None = None
    note: str = ""
    pdf: bool = False
    extension: str = ""  # "pending", "approved" or "rejected"


A = Area
F, C = EventKind.FORUM, EventKind.COMMISSION
WG = WorkingGroupKind
HIGH, CRIT, LOW = Priority.HIGH, Priority.CRITICAL, Priority.LOW
MINEC, AGRO, TRANS, IND = (
    "Минэкономики Омской обл.",
    "Минсельхозпрод Омской обл.",
    "Минтранс Омской обл.",
    "Минпром Омской обл.",
)
CULT, EDU, HEALTH, YOUTH = (
    "Минкультуры Омской обл.",
    "Минобразования Омской обл.",
    "Минздрав Омской обл.",
    "Минмолодёжи Омской обл.",
)
SEC, UMS, PRESS, CITY, OMSU = (
    "ГУ региональной безопасности",
    "Управление международных связей",
    "Пресс-служба Губернатора",
    "Администрация г. Омска",
    "ОмГУ",
)
DSF, CIS, PAV, SKO, MTI = (
    "МИД России ДСФ",
    "Минэкономразвития ДСНГ",
    "Акимат Павлодарской обл.",
    "Акимат СКО",
    "Минторговли и интеграции РК",
)

TASKS: list[TaskSpec] = [
    # 1. Organisation of the Forum
    TaskSpec("1.1", A.ORGANISATION, "Утвердить концепцию и деловую программу XXII Форума", MINEC, -35, "accepted",
             (CIS, UMS), HIGH, WG.PROGRAMME),
    TaskSpec("1.2", A.ORGANISATION, "Согласовать с казахстанской стороной даты и формат проведения Форума", DSF,
             -40, "accepted", (UMS, MTI), CRIT, WG.PROTOCOL),
    TaskSpec("1.3", A.ORGANISATION, "Сформировать смету расходов на организацию и проведение Форума", MINEC, -20,
             "reported", pdf=True, group=WG.PROGRAMME),
    TaskSpec("1.4", A.ORGANISATION, "Обеспечить бронирование гостиниц для участников Форума (не менее 600 мест)",
             CITY, 10, "progress", (MINEC,), HIGH, WG.ACCOMMODATION, decision=(2, "2")),
    TaskSpec("1.5", A.ORGANISATION, "Организовать транспортное обслуживание делегаций: встреча в аэропорту, "
             "трансферы, резервный транспорт", TRANS, 25, "progress", (CITY, SEC), HIGH, WG.LOGISTICS),
    TaskSpec("1.6", A.ORGANISATION, "Разработать план обеспечения безопасности и общественного порядка в местах "
             "проведения мероприятий Форума", SEC, 20, "started", (CITY,), CRIT, WG.SECURITY, decision=(1, "5")),
    TaskSpec("1.7", A.ORGANISATION, "Организовать медицинское обеспечение мероприятий Форума", HEALTH, 28, "new",
             (SEC,), group=WG.SECURITY),
    TaskSpec("1.8", A.ORGANISATION, "Подготовить план информационного сопровождения Форума и порядок аккредитации "
             "СМИ", PRESS, -5, "returned", (UMS,), group=WG.MEDIA,
             note="Возвращено на доработку: не учтены казахстанские СМИ и график пресс-подходов."),
    TaskSpec("1.9", A.ORGANISATION, "Разработать фирменный стиль Форума и изготовить полиграфическую продукцию",
             PRESS, 12, "progress", (CULT,), group=WG.MEDIA),
    TaskSpec("1.10", A.ORGANISATION, "Подготовить протокольную схему встречи и проводов глав делегаций", UMS, 30,
             "new", (DSF,), HIGH, WG.PROTOCOL),
    TaskSpec("1.11", A.ORGANISATION, "Обеспечить техническое оснащение Конгресс-холла: синхронный перевод, "
             "видеотрансляция, связь", IND, 21, "new", (CITY,), group=WG.LOGISTICS),
    TaskSpec("1.12", A.ORGANISATION, "Сформировать списки участников и запустить систему регистрации", UMS, -3,
             "started", group=WG.PROGRAMME),
    TaskSpec("1.13", A.ORGANISATION, "Подготовить предложения по составу российской делегации", CIS, 7, "progress",
             (DSF,), HIGH, WG.PROTOCOL),
    TaskSpec("1.14", A.ORGANISATION, "Отобрать и подготовить волонтёров Форума (не менее 150 человек)", YOUTH, 14,
             "started", (OMSU,), group=WG.PROGRAMME),
    TaskSpec("1.15", A.ORGANISATION, "Организовать выездное заседание оргкомитета в г. Павлодаре", UMS, -10,
             "cancelled", (PAV,), LOW, WG.PROTOCOL,
             note="Снято: вопросы рассмотрены на заседании оргкомитета в режиме видеоконференции."),
    # 2. Irtysh logistics
    TaskSpec("2.1", A.IRTYSH_LOGISTICS, "Подготовить предложения по проекту межгосударственной программы развития "
             "реки Иртыш (Россия — Казахстан — Китай)", MINEC, 18, "progress", (CIS, DSF, TRANS), CRIT,
             WG.PROGRAMME, decision=(1, "4")),
    TaskSpec("2.1.1", A.IRTYSH_LOGISTICS, "Собрать данные о грузопотоках по Иртышу за 2023–2026 годы", TRANS, -12,
             "accepted", (PAV,), parent="2.1", group=WG.LOGISTICS),
    TaskSpec("2.1.2", A.IRTYSH_LOGISTICS, "Подготовить оценку потребности в дноуглубительных работах на участке "
             "Омск — государственная граница", TRANS, 5, "started", parent="2.1", depends=("2.1.1",),
             group=WG.LOGISTICS),
    TaskSpec("2.1.3", A.IRTYSH_LOGISTICS, "Согласовать позицию казахстанской стороны по проекту программы развития "
             "Иртыша", PAV, 14, "new", (MTI,), HIGH, parent="2.1"),
    TaskSpec("2.2", A.IRTYSH_LOGISTICS, "Подготовить доклад о состоянии судоходства на Иртыше для секции «Иртыш — "
             "транспортный коридор»", TRANS, 9, "new", group=WG.PROGRAMME),
    TaskSpec("2.3", A.IRTYSH_LOGISTICS, "Проработать организацию контейнерных перевозок по Иртышу на направлении "
             "Павлодар — Омск", TRANS, -7, "progress", (PAV, MINEC), HIGH, WG.LOGISTICS, decision=(1, "3"),
             extension="pending"),
    TaskSpec("2.4", A.IRTYSH_LOGISTICS, "Подготовить проект соглашения о сотрудничестве речных портов Омска и "
             "Павлодара", TRANS, 30, "new", (PAV,), depends=("2.3",)),
    TaskSpec("2.5", A.IRTYSH_LOGISTICS, "Подготовить презентацию логистического потенциала Омской области", MINEC,
             -2, "reported", group=WG.PROGRAMME),
    # 3. River tourism
    TaskSpec("3.1", A.RIVER_TOURISM, "Разработать совместный туристический маршрут «Иртыш: Омск — Павлодар»",
             MINEC, 20, "progress", (PAV, CULT)),
    TaskSpec("3.2", A.RIVER_TOURISM, "Подготовить круглый стол «Речной туризм на Иртыше»", CULT, 25, "new", (SKO,),
             group=WG.PROGRAMME),
    TaskSpec("3.3", A.RIVER_TOURISM, "Провести инвентаризацию причалов и речных вокзалов для приёма туристических "
             "судов", CITY, -15, "accepted", (TRANS,)),
    TaskSpec("3.4", A.RIVER_TOURISM, "Подготовить предложения о поддержке туристических речных рейсов", MINEC, -4,
             "returned", note="Возвращено на доработку: нужен расчёт объёма поддержки и источники финансирования."),
    TaskSpec("3.5", A.RIVER_TOURISM, "Подготовить экспозицию «Туристический потенциал Прииртышья» для выставки",
             CULT, 35, "new", (PAV,)),
    # 4. Border infrastructure
    TaskSpec("4.1", A.BORDER_INFRASTRUCTURE, "Подготовить информацию о загрузке автомобильных пунктов пропуска на "
             "российско-казахстанской границе в Омской области", SEC, -25, "accepted", (TRANS,)),
    TaskSpec("4.2", A.BORDER_INFRASTRUCTURE, "Подготовить предложения по реконструкции МАПП «Исилькуль»", TRANS, -6,
             "new", (CIS,), HIGH),
    TaskSpec("4.3", A.BORDER_INFRASTRUCTURE, "Проработать открытие регулярного автобусного сообщения Омск — "
             "Петропавловск", TRANS, -3, "progress", (SKO,), extension="approved"),
    TaskSpec("4.4", A.BORDER_INFRASTRUCTURE, "Подготовить материалы к секции «Приграничное сотрудничество и "
             "инфраструктура»", DSF, 16, "started", (MINEC,), group=WG.PROGRAMME),
    TaskSpec("4.5", A.BORDER_INFRASTRUCTURE, "Согласовать перечень приграничных районов — участников Форума", SKO, 8,
             "new", (UMS,)),
    TaskSpec("4.6", A.BORDER_INFRASTRUCTURE, "Подготовить обзор работы пунктов пропуска в зимний период", SEC, -18,
             "reported"),
    # 5. Agriculture and seed production
    TaskSpec("5.1", A.AGRICULTURE, "Подготовить проект соглашения о сотрудничестве в области семеноводства между "
             "Омской и Павлодарской областями", AGRO, 10, "progress", (PAV,), HIGH, decision=(2, "3"),
             extension="pending"),
    TaskSpec("5.2", A.AGRICULTURE, "Подготовить выставочную экспозицию сельхозпроизводителей Омской области", AGRO,
             33, "new"),
    TaskSpec("5.3", A.AGRICULTURE, "Провести анализ поставок сельхозпродукции в Республику Казахстан за 2025–2026 "
             "годы", AGRO, -30, "accepted", (MINEC,)),
    TaskSpec("5.4", A.AGRICULTURE, "Сформировать перечень омских селекционных достижений для казахстанских "
             "партнёров", AGRO, -9, "started"),
    TaskSpec("5.5", A.AGRICULTURE, "Организовать посещение участниками Форума селекционного центра", AGRO, 29, "new",
             (TRANS,)),
    TaskSpec("5.6", A.AGRICULTURE, "Подготовить доклад для секции «Агропромышленное сотрудничество и "
             "семеноводство»", AGRO, 13, "new", (MTI,), group=WG.PROGRAMME),
    TaskSpec("5.7", A.AGRICULTURE, "Проработать вопросы ветеринарно-санитарного контроля при экспорте зерна", AGRO,
             -1, "returned", (CIS,), note="Возвращено на доработку: приложите позицию Россельхознадзора."),
    # 6. Machine building
    TaskSpec("6.1", A.MACHINE_BUILDING, "Сформировать перечень машиностроительных предприятий для участия в деловой "
             "программе и выставке", IND, -22, "accepted"),
    TaskSpec("6.2", A.MACHINE_BUILDING, "Подготовить предложения по кооперации в производстве сельхозтехники с "
             "казахстанскими предприятиями", IND, 19, "progress", (AGRO, MTI)),
    TaskSpec("6.3", A.MACHINE_BUILDING, "Организовать B2B-встречи омских и казахстанских машиностроительных "
             "предприятий", IND, 26, "new", (MINEC,), group=WG.PROGRAMME),
    TaskSpec("6.4", A.MACHINE_BUILDING, "Подготовить справку о предприятиях с участием казахстанского капитала "
             "(около 120)", MINEC, -11, "reported", pdf=True),
    TaskSpec("6.5", A.MACHINE_BUILDING, "Проработать создание совместного сервисного центра сельхозтехники", IND,
             38, "new", (PAV,), LOW),
    # 7. Petrochemicals
    TaskSpec("7.1", A.PETROCHEMICALS, "Подготовить материалы к секции «Нефтехимия и глубокая переработка»", IND, 15,
             "started", (MINEC,), group=WG.PROGRAMME),
    TaskSpec("7.2", A.PETROCHEMICALS, "Проанализировать спрос на продукцию омской нефтехимии в Республике "
             "Казахстан", MINEC, -14, "accepted", (MTI,)),
    TaskSpec("7.3", A.PETROCHEMICALS, "Согласовать участие нефтехимических предприятий в выставке", IND, 6,
             "progress"),
    TaskSpec("7.4", A.PETROCHEMICALS, "Подготовить предложения по подготовке кадров для нефтехимии совместно с "
             "вузами Павлодара", EDU, 22, "new", (OMSU, PAV)),
    # 8. Education and student exchange
    TaskSpec("8.1", A.EDUCATION, "Подготовить сведения об обучении студентов из Казахстана в омских вузах (более "
             "7 000 человек)", EDU, -28, "accepted", (OMSU,)),
    TaskSpec("8.2", A.EDUCATION, "Организовать форум ректоров вузов Омской области и приграничных областей "
             "Казахстана", EDU, 11, "progress", (OMSU, SKO), HIGH),
    TaskSpec("8.3", A.EDUCATION, "Подготовить проект соглашения об академической мобильности студентов", OMSU, 17,
             "new", (EDU,)),
    TaskSpec("8.4", A.EDUCATION, "Провести ярмарку образовательных программ для абитуриентов из Казахстана", EDU, -8,
             "started", extension="rejected"),
    TaskSpec("8.5", A.EDUCATION, "Подготовить предложения по квотам приёма абитуриентов из Казахстана", EDU, 3,
             "reported", (DSF,)),
    # 9. Youth and culture
    TaskSpec("9.1", A.YOUTH_CULTURE, "Подготовить программу Молодёжного форума России и Казахстана", YOUTH, 9,
             "progress", (OMSU, PAV), group=WG.PROGRAMME),
    TaskSpec("9.2", A.YOUTH_CULTURE, "Подготовить концерт мастеров искусств России и Казахстана в Омском "
             "академическом театре драмы", CULT, 24, "started"),
    TaskSpec("9.3", A.YOUTH_CULTURE, "Организовать выставку декоративно-прикладного искусства народов России и "
             "Казахстана", CULT, 31, "new", (SKO,)),
    TaskSpec("9.4", A.YOUTH_CULTURE, "Провести соревнования молодёжи приграничных регионов по мини-футболу", YOUTH,
             -16, "accepted"),
    TaskSpec("9.5", A.YOUTH_CULTURE, "Подготовить экскурсионную программу для сопровождающих лиц", CULT, 4, "new",
             (CITY,)),
    TaskSpec("9.6", A.YOUTH_CULTURE, "Организовать встречу с национально-культурными объединениями казахов Омской "
             "области", CULT, -3, "reported"),
    # 10. After the Forum
    TaskSpec("10.1", A.ORGANISATION, "Подготовить доклад об итогах Форума и план реализации достигнутых "
             "договорённостей", MINEC, 30, "new", (UMS, CIS), follow_up=True),
    TaskSpec("10.2", A.ORGANISATION, "Разместить итоговые материалы Форума в СМИ и на официальных порталах", PRESS,
             7, "new", follow_up=True, group=WG.MEDIA),
    # The 27th commission session
    TaskSpec("1.1", A.ORGANISATION, "Подготовить проект протокола 27-го заседания Межправительственной комиссии",
             CIS, 20, "progress", (DSF, MTI), CRIT, event=C),
    TaskSpec("1.2", A.ORGANISATION, "Согласовать повестку дня 27-го заседания с казахстанской стороной", CIS, -10,
             "accepted", (MTI,), HIGH, event=C),
    TaskSpec("1.3", A.ORGANISATION, "Подготовить информацию Омской области о выполнении решений 26-го заседания "
             "Межправкомиссии", MINEC, -5, "started", event=C),
    TaskSpec("1.4", A.ORGANISATION, "Подготовить зал заседаний и протокольное обеспечение заседания "
             "Межправкомиссии", UMS, 27, "new", (DSF,), event=C, group=WG.PROTOCOL),
    TaskSpec("1.5", A.IRTYSH_LOGISTICS, "Подготовить предложения в проект протокола по транспортной логистике на "
             "Иртыше", TRANS, 2, "progress", (CIS,), event=C),
    TaskSpec("1.6", A.ORGANISATION, "Представить предложения казахстанской стороны по вопросам взаимной торговли",
             MTI, 12, "new", (PAV, SKO), event=C),
    TaskSpec("1.7", A.ORGANISATION, "Обеспечить трансфер членов Межправительственной комиссии", TRANS, 0, "new",
             event=C, anchor_days=-5, group=WG.LOGISTICS),
]  # fmt: skip

# meeting number -> decisions: (number, text, lead, co-executors, days from today or None)
DECISIONS: dict[int, list[tuple[str, str, str | None, tuple[str, ...], int | None]]] = {
    1: [
        ("1", "Принять к сведению информацию Министерства экономики Омской области о ходе подготовки XXII Форума.",
         None, (), None),
        ("2", "Одобрить проект плана мероприятий по подготовке XXII Форума и 27-го заседания Межправительственной "
         "комиссии.", None, (), None),
        # A decision that became a task takes its text, executors and deadline from the task's line below.
        ("3", "", None, (), None),
        ("4", "", None, (), None),
        ("5", "", None, (), None),
        ("6", "Министерству здравоохранения Омской области представить предложения по санитарно-эпидемиологическому "
         "обеспечению Форума.", HEALTH, (SEC,), 16),
    ],
    2: [
        ("1", "Принять к сведению доклад Министерства транспорта и дорожного хозяйства Омской области о "
         "транспортном обслуживании делегаций.", None, (), None),
        ("2", "", None, (), None),
        ("3", "", None, (), None),
        ("4", "Управлению пресс-службы Губернатора доработать план информационного сопровождения с учётом "
         "казахстанских СМИ.", PRESS, (UMS,), 6),
        ("5", "Провести очередное заседание оргкомитета не позднее чем за месяц до начала Форума.", None, (), None),
    ],
}  # fmt: skip

# The meetings held: number -> (days from today, place, video link); the next one is planned.
HELD_MEETINGS: dict[int, tuple[int, str, str]] = {
    1: (-56, "Правительство Омской области, ул. Красный Путь, 1, зал заседаний", ""),
    2: (-21, "", "https://vks.omskportal.example/orgcom-2"),
}
PLANNED_MEETING = (3, 9, "Правительство Омской области, ул. Красный Путь, 1, зал заседаний")

MINUTES = {
    1: (
        "Заседание открыл Председатель оргкомитета, Губернатор Омской области В. П. Хоценко. Участники обсудили "
        "концепцию XXII Форума межрегионального сотрудничества России и Казахстана, формат 27-го заседания "
        "Межправительственной комиссии и проект плана мероприятий по подготовке. Особое внимание уделено "
        "сотрудничеству на Иртыше — логистике, туризму и инфраструктуре, а также проработке межгосударственной "
        "программы развития реки с участием России, Казахстана и Китая."
    ),
    2: (
        "Рассмотрен ход выполнения плана мероприятий. Министерство транспорта и дорожного хозяйства Омской области "
        "доложило о схеме транспортного обслуживания делегаций, Администрация города Омска — о готовности "
        "гостиничного фонда. Отмечено отставание по информационному сопровождению и по проекту соглашения в сфере "
        "семеноводства."
    ),
}
# What each meeting is about: the page heads it "Заседание № 1: …", so the title names the subject, not the meeting.
MEETING_TITLES = {
    1: "О концепции Форума и плане подготовки",
    2: "О ходе подготовки: транспорт, размещение делегаций, соглашения",
    3: "О готовности площадок и программе Форума",
}
MEETING_AGENDA = {
    1: [("О концепции XXII Форума и 27-го заседания Межправительственной комиссии", "Миронов К. Ю."),
        ("О проекте плана мероприятий по подготовке", "Соколова А. В."),
        ("О развитии сотрудничества на Иртыше", "Ткаченко В. А.")],
    2: [("О ходе выполнения плана мероприятий", "Соколова А. В."),
        ("О транспортном обслуживании и размещении делегаций", "Ткаченко В. А., Гусев Р. Е."),
        ("О подготовке соглашения в сфере семеноводства", "Белов Н. В.")],
    3: [("О готовности площадок Форума", "Гусев Р. Е."),
        ("О программе пленарного заседания и церемонии подписания соглашений", "Полякова И. В."),
        ("О мерах безопасности в период проведения Форума", "Крылов Г. Б.")],
}  # fmt: skip
