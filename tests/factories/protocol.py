"""Factories for the commission protocol: a protocol of a session, sections, items. Rows written directly."""

import datetime as dt

import factory

from omskevents.protocol.models import Protocol, ProtocolItem, ProtocolSection

from .agencies import AgencyFactory
from .events import EventFactory


class ProtocolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Protocol

    event = factory.SubFactory(
        EventFactory,
        kind="commission",
        title_ru="27-е заседание Межправительственной комиссии",
        title_en="27th session of the Intergovernmental Commission",
        short_title="МПК-27",
    )
    place = "г. Омск"
    date = dt.date(2026, 12, 11)
    ru_co_chair = "Заместитель Председателя Правительства Российской Федерации А. Л. Оверчук"
    kz_co_chair = "Заместитель Премьер-Министра Республики Казахстан С. М. Жумангарин"


class ProtocolSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtocolSection

    protocol = factory.SubFactory(ProtocolFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Сотрудничество в сфере транспорта и логистики"
    area = "irtysh_logistics"


class ProtocolItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtocolItem

    section = factory.SubFactory(ProtocolSectionFactory)
    number = factory.Sequence(lambda n: n + 1)
    text_ru = "Стороны отметили рост грузоперевозок по реке Иртыш."
    proposer = factory.SubFactory(AgencyFactory, country="RU")
    state = "proposed"
