"""Demo data: the agencies, the people (with the demo accounts), the organising committee and its working groups."""

from dataclasses import dataclass

from omskevents.accounts.enums import Role
from omskevents.agencies.enums import Country, Level
from omskevents.committee.enums import MemberRole, WorkingGroupKind

# Demo accounts only, printed by the command for people trying the app; never a production credential.
DEMO_PASSWORD = "omsk2026"  # noqa: S105

# ---------------------------------------------------------------------------------------------------------------
# Agencies: (short name, full name, English name, country, level, parent short name, e-mail)

AGENCIES: list[tuple[str, str, str, str, str, str | None, str]] = [
    ("МИД России", "Министерство иностранных дел Российской Федерации", "Ministry of Foreign Affairs of Russia",
     Country.RU, Level.FEDERAL, None, "info@mid.example"),
    ("МИД России ДСФ", "Департамент по связям с субъектами Федерации МИД России",
     "Department for Relations with the Subjects of the Federation, Russian MFA",
     Country.RU, Level.FEDERAL, "МИД России", "dsf@mid.example"),
    ("Минэкономразвития России", "Министерство экономического развития Российской Федерации",
     "Ministry of Economic Development of Russia", Country.RU, Level.FEDERAL, None, "info@economy.example"),
    ("Минэкономразвития ДСНГ", "Департамент экономического сотрудничества со странами СНГ Минэкономразвития России",
     "Department for Economic Cooperation with the CIS countries, Ministry of Economic Development",
     Country.RU, Level.FEDERAL, "Минэкономразвития России", "cis@economy.example"),
    ("Правительство Омской обл.", "Правительство Омской области", "Government of Omsk Oblast",
     Country.RU, Level.REGIONAL, None, "pravitelstvo@omskportal.example"),
    ("Минэкономики Омской обл.", "Министерство экономики Омской области", "Ministry of Economy of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "mec@omskportal.example"),
    ("Минсельхозпрод Омской обл.", "Министерство сельского хозяйства и продовольствия Омской области",
     "Ministry of Agriculture and Food of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "mcx@omskportal.example"),
    ("Минтранс Омской обл.", "Министерство транспорта и дорожного хозяйства Омской области",
     "Ministry of Transport and Roads of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "mintrans@omskportal.example"),
    ("Минпром Омской обл.", "Министерство промышленности и научно-технического развития Омской области",
     "Ministry of Industry of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "minprom@omskportal.example"),
    ("Минкультуры Омской обл.", "Министерство культуры Омской области", "Ministry of Culture of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "mkultura@omskportal.example"),
    ("Минобразования Омской обл.", "Министерство образования Омской области",
     "Ministry of Education of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "obr@omskportal.example"),
    ("Минздрав Омской обл.", "Министерство здравоохранения Омской области", "Ministry of Health of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "minzdrav@omskportal.example"),
    ("Минмолодёжи Омской обл.", "Министерство по делам молодёжи, физической культуры и спорта Омской области",
     "Ministry of Youth and Sport of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "molod@omskportal.example"),
    ("ГУ региональной безопасности", "Главное управление региональной безопасности Омской области",
     "Regional Security Directorate of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "gurb@omskportal.example"),
    ("Управление международных связей", "Управление международных связей Правительства Омской области",
     "International Relations Office of the Government of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "ums@omskportal.example"),
    ("Пресс-служба Губернатора", "Управление пресс-службы Губернатора и Правительства Омской области",
     "Press Office of the Governor and Government of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "press@omskportal.example"),
    ("Администрация г. Омска", "Администрация города Омска", "Omsk City Administration",
     Country.RU, Level.MUNICIPAL, None, "admin@admomsk.example"),
    ("ОмГУ", "Омский государственный университет им. Ф. М. Достоевского", "Dostoevsky Omsk State University",
     Country.RU, Level.FEDERAL, None, "international@omsu.example"),
    ("Акимат Павлодарской обл.", "Акимат Павлодарской области", "Akimat of Pavlodar Region",
     Country.KZ, Level.FOREIGN, None, "akimat@pavlodar.example"),
    ("Акимат СКО", "Акимат Северо-Казахстанской области", "Akimat of North Kazakhstan Region",
     Country.KZ, Level.FOREIGN, None, "akimat@sko.example"),
    ("Минторговли и интеграции РК", "Министерство торговли и интеграции Республики Казахстан",
     "Ministry of Trade and Integration of the Republic of Kazakhstan",
     Country.KZ, Level.FOREIGN, None, "info@mti.example"),
]  # fmt: skip
# A federal university in Omsk: the rule for federal agencies (Moscow) does not fit it.
AGENCY_TIME_ZONES = {"ОмГУ": "Asia/Omsk"}

# ---------------------------------------------------------------------------------------------------------------
# People: username -> (last, first, patronymic, position, agency, role, time zone, e-mail, heads the agency)


@dataclass(frozen=True)
class Person:
    username: str
    last_name: str
    first_name: str
    patronymic: str
    position: str
    agency: str | None
    role: str
    time_zone: str
    email: str
    heads_agency: bool = False
    is_demo: bool = False


PEOPLE: list[Person] = [
    # The five demo accounts of the README.
    Person("secretariat", "Соколова", "Анна", "Викторовна",
           "Ответственный секретарь оргкомитета", "Управление международных связей", Role.SECRETARIAT,
           "Asia/Omsk", "secretariat@omskportal.example", is_demo=True),
    Person("mfa", "Лебедев", "Андрей", "Сергеевич", "Советник Департамента по связям с субъектами Федерации",
           "МИД России ДСФ", Role.AGENCY_STAFF, "Europe/Moscow", "mfa@mid.example", is_demo=True),
    Person("minek", "Орлова", "Мария", "Игоревна",
           "Заместитель начальника отдела Департамента экономического сотрудничества со странами СНГ",
           "Минэкономразвития ДСНГ", Role.AGENCY_STAFF, "Europe/Moscow", "minek@economy.example", is_demo=True),
    Person("omsk-transport", "Кузнецов", "Дмитрий", "Олегович", "Начальник отдела внутреннего водного транспорта",
           "Минтранс Омской обл.", Role.AGENCY_STAFF, "Asia/Omsk", "transport@omskportal.example", is_demo=True),
    Person("kz-pavlodar", "Жумабаев", "Ерлан", "Маратович", "Главный специалист отдела внешних связей",
           "Акимат Павлодарской обл.", Role.AGENCY_STAFF, "Asia/Almaty", "kz-pavlodar@pavlodar.example",
           is_demo=True),
    # The Kazakh side's secretariat: no agency of its own, it steers the Kazakh agencies' part of the plan.
    Person("kz-secretariat", "Нурпеисова", "Алия", "Кайратовна",
           "Ответственный секретарь казахстанской части Межправительственной комиссии", None,
           Role.KZ_SECRETARIAT, "Asia/Almaty", "kz-secretariat@mti.example", is_demo=True),
    # Heads of agencies and the committee's leadership.
    Person("khotsenko", "Хоценко", "Виталий", "Павлович", "Губернатор Омской области",
           "Правительство Омской обл.", Role.AGENCY_HEAD, "Asia/Omsk", "governor@omskportal.example", True),
    Person("deputy-chair", "Дорофеев", "Алексей", "Викторович",
           "Первый заместитель Председателя Правительства Омской области", "Правительство Омской обл.",
           Role.AGENCY_STAFF, "Asia/Omsk", "deputy@omskportal.example"),
    Person("kapyrin", "Капырин", "Игорь", "Вячеславович",
           "Директор Департамента по связям с субъектами Федерации МИД России", "МИД России ДСФ",
           Role.AGENCY_HEAD, "Europe/Moscow", "director.dsf@mid.example", True),
    Person("head-cis", "Волков", "Павел", "Андреевич",
           "Директор Департамента экономического сотрудничества со странами СНГ", "Минэкономразвития ДСНГ",
           Role.AGENCY_HEAD, "Europe/Moscow", "director.cis@economy.example", True),
    Person("head-economy", "Миронов", "Константин", "Юрьевич", "Министр экономики Омской области",
           "Минэкономики Омской обл.", Role.AGENCY_HEAD, "Asia/Omsk", "minister@mec.omskportal.example", True),
    Person("head-agro", "Белов", "Николай", "Васильевич",
           "Министр сельского хозяйства и продовольствия Омской области", "Минсельхозпрод Омской обл.",
           Role.AGENCY_HEAD, "Asia/Omsk", "minister@mcx.omskportal.example", True),
    Person("head-transport", "Ткаченко", "Виктор", "Александрович",
           "Министр транспорта и дорожного хозяйства Омской области", "Минтранс Омской обл.",
           Role.AGENCY_HEAD, "Asia/Omsk", "minister@mintrans.omskportal.example", True),
    Person("head-industry", "Фролов", "Артём", "Игоревич", "Министр промышленности Омской области",
           "Минпром Омской обл.", Role.AGENCY_HEAD, "Asia/Omsk", "minister@minprom.omskportal.example", True),
    Person("head-culture", "Романова", "Елена", "Сергеевна", "Министр культуры Омской области",
           "Минкультуры Омской обл.", Role.AGENCY_HEAD, "Asia/Omsk", "minister@mkultura.omskportal.example", True),
    Person("head-education", "Медведева", "Татьяна", "Николаевна", "Министр образования Омской области",
           "Минобразования Омской обл.", Role.AGENCY_HEAD, "Asia/Omsk", "minister@obr.omskportal.example", True),
    Person("head-health", "Зайцев", "Михаил", "Андреевич", "Министр здравоохранения Омской области",
           "Минздрав Омской обл.", Role.AGENCY_HEAD, "Asia/Omsk", "minister@minzdrav.omskportal.example", True),
    Person("head-youth", "Егоров", "Денис", "Валерьевич",
           "Министр по делам молодёжи, физической культуры и спорта Омской области", "Минмолодёжи Омской обл.",
           Role.AGENCY_HEAD, "Asia/Omsk", "minister@molod.omskportal.example", True),
    Person("head-security", "Крылов", "Геннадий", "Борисович",
           "Начальник Главного управления региональной безопасности Омской области", "ГУ региональной безопасности",
           Role.AGENCY_HEAD, "Asia/Omsk", "head@gurb.omskportal.example", True),
    Person("head-intl", "Полякова", "Ирина", "Владимировна",
           "Начальник Управления международных связей Правительства Омской области",
           "Управление международных связей", Role.AGENCY_HEAD, "Asia/Omsk", "head@ums.omskportal.example", True),
    Person("head-press", "Никитина", "Ольга", "Павловна", "Начальник Управления пресс-службы Губернатора",
           "Пресс-служба Губернатора", Role.AGENCY_HEAD, "Asia/Omsk", "head@press.omskportal.example", True),
    Person("head-city", "Гусев", "Роман", "Евгеньевич", "Первый заместитель Мэра города Омска",
           "Администрация г. Омска", Role.AGENCY_HEAD, "Asia/Omsk", "deputy.mayor@admomsk.example", True),
    Person("head-omsu", "Сергеева", "Наталья", "Александровна", "Проректор по международной деятельности ОмГУ",
           "ОмГУ", Role.AGENCY_HEAD, "Asia/Omsk", "prorector@omsu.example", True),
    Person("head-pavlodar", "Каримов", "Нурлан", "Серикович", "Заместитель акима Павлодарской области",
           "Акимат Павлодарской обл.", Role.AGENCY_HEAD, "Asia/Almaty", "deputy.akim@pavlodar.example", True),
    Person("head-sko", "Ахметова", "Айгуль", "Бауыржановна", "Заместитель акима Северо-Казахстанской области",
           "Акимат СКО", Role.AGENCY_HEAD, "Asia/Almaty", "deputy.akim@sko.example", True),
    Person("head-kz-trade", "Сейткали", "Данияр", "Ерланович", "Вице-министр торговли и интеграции",
           "Минторговли и интеграции РК", Role.AGENCY_HEAD, "Asia/Almaty", "vice.minister@mti.example", True),
]  # fmt: skip

# Who writes the reports for an agency: its demo account where there is one, otherwise its head.
REPORTERS = {
    "МИД России ДСФ": "mfa",
    "Минэкономразвития ДСНГ": "minek",
    "Минтранс Омской обл.": "omsk-transport",
    "Акимат Павлодарской обл.": "kz-pavlodar",
}

COMMITTEE_NAME = (
    "Организационный комитет по подготовке XXII Форума межрегионального сотрудничества России и Казахстана "
    "и 27-го заседания Межправительственной комиссии"
)
COMMITTEE_ROLES = {
    "khotsenko": MemberRole.CHAIR,
    "deputy-chair": MemberRole.DEPUTY_CHAIR,
    "head-cis": MemberRole.DEPUTY_CHAIR,
    "secretariat": MemberRole.SECRETARY,
}
COMMITTEE_MEMBERS = [
    "kapyrin",
    "head-economy",
    "head-agro",
    "head-transport",
    "head-industry",
    "head-culture",
    "head-education",
    "head-health",
    "head-youth",
    "head-security",
    "head-intl",
    "head-press",
    "head-city",
    "head-omsu",
    "mfa",
    "minek",
]

# kind -> (name, lead, members)
WORKING_GROUPS: dict[str, tuple[str, str, list[str]]] = {
    WorkingGroupKind.PROGRAMME: ("Рабочая группа по деловой программе", "head-economy",
                                 ["minek", "head-cis", "head-industry", "head-agro", "head-education"]),
    WorkingGroupKind.LOGISTICS: ("Рабочая группа по логистике и транспорту", "head-transport",
                                 ["omsk-transport", "head-city"]),
    WorkingGroupKind.PROTOCOL: ("Рабочая группа по протоколу", "head-intl", ["mfa", "secretariat", "kapyrin"]),
    WorkingGroupKind.SECURITY: ("Рабочая группа по безопасности", "head-security", ["head-health", "head-city"]),
    WorkingGroupKind.MEDIA: ("Рабочая группа по информационному сопровождению", "head-press", ["head-culture"]),
    WorkingGroupKind.ACCOMMODATION: ("Рабочая группа по размещению участников", "head-city",
                                     ["head-economy", "head-transport"]),
}  # fmt: skip
