"""Demo delegations with their people, arrivals over three days, departures, hotels and badges.

Eight delegations of the Forum (four of them already in data_events.DELEGATIONS), eight people each, in Russian
and Kazakh names with their Latin or Kazakh spelling for the badges. Found by natural key (delegation by event and
name, person by delegation and full name) and created only when missing.
"""

import datetime as dt
import zoneinfo

from omskevents.agencies.models import Agency
from omskevents.events.enums import BadgeStatus, DelegateLanguage, DelegateRole, Direction, Side, Transport
from omskevents.events.models import Delegate, Delegation, Event, Journey

from .blocks import SeedReport

OMSK = "Asia/Omsk"

# (name, side, head's title, responsible agency's short name)
DELEGATIONS: list[tuple[str, str, str, str]] = [
    ("Делегация Российской Федерации", Side.RU, "Федеральный министр (по согласованию)", "МИД России ДСФ"),
    ("Делегация Республики Казахстан", Side.KZ, "Министр торговли и интеграции Республики Казахстан",
     "Минторговли и интеграции РК"),
    ("Делегация Павлодарской области", Side.KZ, "Аким Павлодарской области", "Акимат Павлодарской обл."),
    ("Делегация Северо-Казахстанской области", Side.KZ, "Аким Северо-Казахстанской области", "Акимат СКО"),
    ("Делегация Костанайской области", Side.KZ, "Аким Костанайской области", "Минторговли и интеграции РК"),
    ("Делегация Восточно-Казахстанской области", Side.KZ, "Аким Восточно-Казахстанской области",
     "Минторговли и интеграции РК"),
    ("Делегация Новосибирской области", Side.RU, "Губернатор Новосибирской области", "Правительство Омской обл."),
    ("Делегация Тюменской области", Side.RU, "Губернатор Тюменской области", "Правительство Омской обл."),
]  # fmt: skip

# (last name, first name, patronymic, Kazakh or Latin spelling)
KZ_PEOPLE: list[tuple[str, str, str, str]] = [
    ("Ахметов", "Ерлан", "Серикович", "Ахметов Ерлан Серікұлы / Akhmetov Yerlan"),
    ("Сапарова", "Айгуль", "Маратовна", "Сапарова Айгүл Маратқызы / Saparova Aigul"),
    ("Нурланов", "Данияр", "Болатович", "Нұрланов Данияр Болатұлы / Nurlanov Daniyar"),
    ("Жаксыбекова", "Гульнар", "Ержановна", "Жақсыбекова Гүлнар Ержанқызы / Zhaksybekova Gulnar"),
    ("Касымов", "Асхат", "Канатович", "Қасымов Асхат Қанатұлы / Kassymov Askhat"),
    ("Омарова", "Динара", "Сагынтаевна", "Омарова Динара Сағынтайқызы / Omarova Dinara"),
    ("Бекмуханов", "Нурсултан", "Айдарович", "Бекмұханов Нұрсұлтан Айдарұлы / Bekmukhanov Nursultan"),
    ("Тулегенова", "Асель", "Бауржановна", "Төлегенова Әсел Бауыржанқызы / Tulegenova Assel"),
    ("Искаков", "Жанибек", "Муратович", "Ысқақов Жәнібек Мұратұлы / Iskakov Zhanibek"),
    ("Абдрахманова", "Сауле", "Кайратовна", "Әбдірахманова Сәуле Қайратқызы / Abdrakhmanova Saule"),
]
RU_PEOPLE: list[tuple[str, str, str, str]] = [
    ("Смирнов", "Алексей", "Викторович", "Smirnov Aleksei"),
    ("Волкова", "Екатерина", "Андреевна", "Volkova Ekaterina"),
    ("Морозов", "Игорь", "Павлович", "Morozov Igor"),
    ("Козлова", "Наталья", "Сергеевна", "Kozlova Natalia"),
    ("Новиков", "Денис", "Олегович", "Novikov Denis"),
    ("Павлова", "Ольга", "Николаевна", "Pavlova Olga"),
    ("Фёдоров", "Михаил", "Юрьевич", "Fedorov Mikhail"),
    ("Егорова", "Светлана", "Игоревна", "Egorova Svetlana"),
    ("Васильев", "Роман", "Александрович", "Vasilev Roman"),
    ("Никитина", "Ирина", "Владимировна", "Nikitina Irina"),
]
# (role, position) in protocol order: the head first.
ROLES: list[tuple[str, str]] = [
    (DelegateRole.HEAD, "Руководитель делегации"),
    (DelegateRole.DEPUTY, "Заместитель руководителя делегации"),
    (DelegateRole.MEMBER, "Начальник управления внешних связей"),
    (DelegateRole.MEMBER, "Заместитель руководителя управления предпринимательства"),
    (DelegateRole.EXPERT, "Главный эксперт по логистике"),
    (DelegateRole.EXPERT, "Советник по вопросам образования"),
    (DelegateRole.PRESS, "Корреспондент пресс-службы"),
    (DelegateRole.STAFF, "Помощник руководителя делегации"),
]
HOTELS = ["Гостиница «Иртыш»", "Гостиница «Турист»", "Ибис Сибирь Омск", "Гостиница «Маяк»"]
MEETERS = ["Протокольная служба Правительства Омской обл.", "Соколова А. В.", "Кузнецов Д. О.", "Волонтёры Форума"]
# Where each delegation comes from: (transport, number prefix, station or airport, city, zone).
ROUTES: dict[str, tuple[str, str, str]] = {
    Side.RU: (Transport.PLANE, "SU 14", "Аэропорт Омск-Центральный"),
    Side.KZ: (Transport.TRAIN, "№ 07", "Вокзал Омск-Пассажирский"),
}


def _people_of(side: str, index: int) -> list[tuple[str, str, str, str]]:
    pool = KZ_PEOPLE if side == Side.KZ else RU_PEOPLE
    # Each delegation starts at a different place in the pool, and the names are made unique by its number.
    return [pool[(index * 3 + n) % len(pool)] for n in range(len(ROLES))]


def seed_delegates(forum: Event, agencies: dict[str, Agency], report: SeedReport) -> None:
    zone = zoneinfo.ZoneInfo(OMSK)
    for index, (name, side, head, agency_name) in enumerate(DELEGATIONS):
        delegation, created = Delegation.objects.get_or_create(
            event=forum, side=side, name=name, defaults={"head": head, "size": len(ROLES)}
        )
        report.add("delegations", int(created))
        if delegation.responsible_agency_id is None:
            delegation.responsible_agency = agencies[agency_name]
            delegation.save(update_fields=["responsible_agency", "updated"])
        # Arrivals over the three days up to the opening: two days before, the day before, the morning itself.
        arrival_day = forum.start_date - dt.timedelta(days=2 - index % 3)
        transport, number, place = ROUTES[side]
        if index in (1, 4):  # the ministers' delegations fly
            transport, number, place = Transport.PLANE, "KC 9", "Аэропорт Омск-Центральный"
        for n, ((role, position), (last, first, patronymic, alt)) in enumerate(
            zip(ROLES, _people_of(side, index), strict=True)
        ):
            if Delegate.objects.filter(delegation=delegation, last_name=last, first_name=first).exists():
                continue
            delegate = Delegate(
                delegation=delegation,
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                name_alt=alt,
                role=role,
                precedence=n + 1,
                position=position,
                organisation=name.replace("Делегация ", "Администрация ")
                if side == Side.RU
                else name.replace("Делегация ", "Акимат "),
                country=side,
                language=DelegateLanguage.KK if side == Side.KZ and n % 3 == 0 else DelegateLanguage.RU,
                email=f"delegate{index}{n}@example.org",
                phone=f"+7 700 555 {index:02d}{n:02d}",
                needs_interpreter=side == Side.KZ and n % 3 == 0,
                accessibility="Кресло-коляска, нужен пандус" if n == 5 and index % 4 == 0 else "",
                diet=["", "халяль", "вегетарианское", ""][n % 4],
                hotel=HOTELS[index % len(HOTELS)],
                room=f"{3 + n // 3}{index:01d}{n:01d}",
                local_transport=f"Автобус № {index + 1}" if n > 1 else f"Автомобиль сопровождения № {index + 1}",
                badge_status=[BadgeStatus.PRINTED, BadgeStatus.REQUESTED, BadgeStatus.ISSUED][n % 3],
                consent_at=dt.datetime.combine(forum.start_date - dt.timedelta(days=20), dt.time(10), tzinfo=zone),
            )
            delegate.full_clean()
            delegate.save()
            report.add("delegates")
            hour = 6 + (index * 2 + n // 4) % 14
            Journey.objects.create(
                delegate=delegate,
                direction=Direction.ARRIVAL,
                transport=transport,
                number=f"{number}{index}{n // 4}",
                at=dt.datetime.combine(arrival_day, dt.time(hour, (n // 4) * 25), tzinfo=zone),
                city="Омск",
                time_zone=OMSK,
                place=place,
                met_by=MEETERS[(index + n // 4) % len(MEETERS)],
            )
            Journey.objects.create(
                delegate=delegate,
                direction=Direction.DEPARTURE,
                transport=transport,
                number=f"{number}{index + 1}",
                at=dt.datetime.combine(forum.end_date + dt.timedelta(days=1), dt.time(10 + index % 6), tzinfo=zone),
                city="Омск",
                time_zone=OMSK,
                place=place,
                met_by=MEETERS[index % len(MEETERS)],
            )
            report.add("arrivals and departures", 2)
