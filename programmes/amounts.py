"""Amounts in euro as Belgian staff type and read them: '354.767,87'.

Browsers drop a typed comma from <input type="number"> (in an nl-BE browser too), which turned
"354767,87" into 35.476.787 euro. Amounts are therefore text inputs, parsed here on the server.
"""
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.026.647


class AmbiguousAmount(ValueError):
    pass


def parse_amount(text: str) -> Decimal:
    """'354.767,87', '354767,87', '354767.87', '1.026.647', '€ 12,5' → Decimal; ValueError when unclear.

    A comma is always the decimal sign. Points are thousands separators when a comma follows or when
    they group by three ('1.026.647'). A single point followed by one or two digits is a decimal
    point ('354767.87'); one followed by exactly three digits ('354.767') could be either and is refused.
    """
    value = re.sub(r"\s|\u00a0|\u202f|€|(?i:eur(o)?)", "", text or "")
    if not value:
        raise ValueError("empty")
    sign = ""
    if value[0] in "+-":
        sign, value = value[0], value[1:]
    if not re.fullmatch(r"[\d.,]+", value) or not value[0].isdigit():
        raise ValueError("not a number")
    if value.count(",") > 1:
        raise AmbiguousAmount("several commas")
    if "," in value:
        whole, decimals = value.split(",")
        if "." in whole and not _GROUPED.match(whole):
            raise AmbiguousAmount("badly grouped thousands")
        whole = whole.replace(".", "")
    elif value.count(".") > 1:
        if not _GROUPED.match(value):
            raise AmbiguousAmount("badly grouped thousands")
        whole, decimals = value.replace(".", ""), ""
    elif "." in value:
        whole, decimals = value.split(".")
        if len(decimals) == 3:
            raise AmbiguousAmount("thousands or decimals")
    else:
        whole, decimals = value, ""
    if not whole.isdigit() or (decimals and not decimals.isdigit()):
        raise ValueError("not a number")
    try:
        return Decimal(f"{sign}{whole}.{decimals or '0'}")
    except InvalidOperation as exc:
        raise ValueError("not a number") from exc


def format_amount(value) -> str:
    """Decimal('1026647.54') → '1.026.647,54' (no unit)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups)},{cents}"


def format_quantity(value, unit: str = "") -> str:
    """A count or measure the Dutch way, without needless decimals: Decimal('1250.00') → '1.250',
    Decimal('12.50'), '%' → '12,5%', Decimal('3000000'), 'euro' → '3.000.000 euro'; '' for no value."""
    if value in (None, ""):
        return ""
    text = format_amount(value)
    whole, cents = text.rsplit(",", 1)
    cents = cents.rstrip("0")
    number = f"{whole},{cents}" if cents else whole
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


def format_euro(value) -> str:
    """Decimal('1026647.54') → '1.026.647,54 euro'."""
    text = format_amount(value)
    return f"{text} euro" if text else ""


class AmountInput(forms.TextInput):
    """A text input (never type=number) that shows a stored amount the Belgian way."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "size": 16, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format_amount(value)
        return super().format_value(value)


class AmountField(forms.DecimalField):
    """An amount in euro typed as '354.767,87', '354767,87' or '354767.87'."""

    widget = AmountInput
    default_error_messages = {
        "invalid": _("Dit is geen bedrag. Schrijf bijvoorbeeld 354.767,87 of 354767,87."),
        "ambiguous": _(
            "Dit bedrag is niet eenduidig: bedoelt u duizendtallen of decimalen? Schrijf bijvoorbeeld "
            "354.767,00 of 354767 voor driehonderdvierenvijftigduizend, of 354,77 voor een bedrag met cent."
        ),
        "negative": _("Een bedrag kan niet negatief zijn."),
    }

    def widget_attrs(self, widget):
        # DecimalField adds step/min/max attributes for a number input; a text input needs none of them.
        return forms.Field.widget_attrs(self, widget)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            amount = parse_amount(str(value))
        except AmbiguousAmount:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous") from None
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount < 0:
            raise ValidationError(self.error_messages["negative"], code="negative")
        return amount


class QuantityInput(AmountInput):
    """Shows a stored count without needless decimals: 20, 12,5."""

    def __init__(self, attrs=None):
        super().__init__({"size": 8, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format_quantity(value)
        return super().format_value(value)


class QuantityField(AmountField):
    """A count or measure (a target, a result) typed the same Belgian way as an amount: '1250', '12,5'."""

    widget = QuantityInput

    default_error_messages = {
        "invalid": _("Dit is geen getal. Schrijf bijvoorbeeld 1250 of 12,5."),
        "ambiguous": _(
            "Dit getal is niet eenduidig: bedoelt u duizendtallen of decimalen? Schrijf bijvoorbeeld 1250 of "
            "1.250,0 voor duizend tweehonderdvijftig, of 1,25 voor een getal met decimalen."
        ),
        "negative": _("Een resultaat kan niet negatief zijn."),
    }
