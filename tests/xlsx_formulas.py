"""A small evaluator of the Excel formulas our exports write (IF, AND, OR, N, ISNUMBER, COUNT, SUM,
MIN, MAX, UPPER, LEFT, TRIM; + - * / & and comparisons; cells, ranges and other sheets), so a
test can recompute a workbook the way Excel would after opening it, without Excel."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<ref>(?:'[^']+'!|[A-Za-z_]+!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)
  | (?P<func>[A-Z]+)\(
  | (?P<op>>=|<=|<>|[-+*/&=<>(),])
)""",
    re.X,
)


class Book:
    def __init__(self, data: bytes):
        self.wb = load_workbook(io.BytesIO(data))
        self.memo: dict[tuple[str, str], object] = {}

    def value(self, sheet: str, ref: str):
        key = (sheet, ref)
        if key not in self.memo:
            cell = self.wb[sheet][ref]
            v = cell.value
            if cell.data_type == "f" and isinstance(v, str):
                v = _Parser(self, sheet, v[1:]).run()
            self.memo[key] = v
        return self.memo[key]


def _cells(book: Book, sheet: str, ref: str) -> list:
    if "!" in ref:
        sheet, ref = ref.rsplit("!", 1)
        sheet = sheet.strip("'")
    ref = ref.replace("$", "")
    if ":" not in ref:
        return [book.value(sheet, ref)]
    a, b = ref.split(":")
    ca, ra = re.match(r"([A-Z]+)(\d+)", a).groups()
    cb, rb = re.match(r"([A-Z]+)(\d+)", b).groups()
    from openpyxl.utils import get_column_letter

    return [
        book.value(sheet, f"{get_column_letter(c)}{r}")
        for r in range(int(ra), int(rb) + 1)
        for c in range(column_index_from_string(ca), column_index_from_string(cb) + 1)
    ]


def _num(v) -> float:
    if v is None or v == "":
        return 0.0 if v is None else _value_error()
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    return _value_error()


def _value_error():
    raise ValueError("#VALUE!")


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


class _Range(list):
    pass


class _Parser:
    def __init__(self, book: Book, sheet: str, text: str):
        self.book, self.sheet = book, sheet
        self.tokens = []
        pos = 0
        while pos < len(text.rstrip()):
            m = _TOKEN.match(text, pos)
            if not m:
                raise SyntaxError(text[pos:])
            kind = m.lastgroup
            self.tokens.append((kind, m.group(kind)))
            pos = m.end()
        self.i = 0

    def run(self):
        v = self.expr()
        if self.i != len(self.tokens):
            raise SyntaxError(self.tokens[self.i :])
        return v

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, op=None):
        t = self.tokens[self.i]
        if op is not None and t[1] != op:
            raise SyntaxError(f"expected {op}, got {t}")
        self.i += 1
        return t

    def expr(self):
        left = self.concat()
        kind, op = self.peek()
        if kind == "op" and op in ("=", "<>", ">=", "<=", ">", "<"):
            self.take()
            right = self.concat()
            a, b = _scalar(left), _scalar(right)
            if isinstance(a, str) or isinstance(b, str):
                a, b = _text(a).upper(), _text(b).upper()
            else:
                a, b = _num(a), _num(b)
            return {"=": a == b, "<>": a != b, ">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b}[op]
        return left

    def concat(self):
        v = self.additive()
        while self.peek() == ("op", "&"):
            self.take()
            v = _text(_scalar(v)) + _text(_scalar(self.additive()))
        return v

    def additive(self):
        v = self.term()
        while self.peek()[1] in ("+", "-") and self.peek()[0] == "op":
            op = self.take()[1]
            r = self.term()
            v = _num(_scalar(v)) + _num(_scalar(r)) if op == "+" else _num(_scalar(v)) - _num(_scalar(r))
        return v

    def term(self):
        v = self.unary()
        while self.peek()[1] in ("*", "/") and self.peek()[0] == "op":
            op = self.take()[1]
            r = _num(_scalar(self.unary()))
            if op == "/" and r == 0:
                raise ZeroDivisionError("#DIV/0!")
            v = _num(_scalar(v)) * r if op == "*" else _num(_scalar(v)) / r
        return v

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return -_num(_scalar(self.unary()))
        return self.primary()

    def primary(self):
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "ref":
            values = _cells(self.book, self.sheet, text)
            return _Range(values) if ":" in text else values[0]
        if kind == "op" and text == "(":
            v = self.expr()
            self.take(")")
            return v
        if kind == "func":
            return self.call(text)
        raise SyntaxError(text)

    def args(self):
        out = []
        if self.peek() == ("op", ")"):
            self.take()
            return out
        while True:
            out.append(self.expr())
            _, op = self.take()
            if op == ")":
                return out
            if op != ",":
                raise SyntaxError(op)

    def call(self, name: str):
        if name == "IF":  # only the branch taken is evaluated, as in Excel
            spans = self._lazy_args()
            cond = _scalar(self._eval_slice(spans[0]))
            return self._eval_slice(spans[1] if _truthy(cond) else (spans[2] if len(spans) > 2 else False))
        args = self.args()
        flat = [v for a in args for v in (a if isinstance(a, _Range) else [a])]
        if name not in _FUNCTIONS:
            raise NotImplementedError(name)
        return _FUNCTIONS[name](args, flat)

    def _lazy_args(self):
        """The token spans of a call's arguments (the cursor after its ')')."""
        spans, depth, start = [], 0, self.i
        while True:
            kind, text = self.tokens[self.i]
            if kind == "func" or text == "(":
                depth += 1
            elif text == ")":
                if depth == 0:
                    spans.append((start, self.i))
                    self.i += 1
                    return spans
                depth -= 1
            elif text == "," and depth == 0:
                spans.append((start, self.i))
                start = self.i + 1
            self.i += 1

    def _eval_slice(self, span):
        if span is False:
            return False
        sub = _Parser.__new__(_Parser)
        sub.book, sub.sheet, sub.tokens, sub.i = self.book, self.sheet, self.tokens[span[0] : span[1]], 0
        return sub.run()


def _scalar(v):
    return v[0] if isinstance(v, _Range) and len(v) == 1 else v


def _truthy(v) -> bool:
    v = _scalar(v)
    if isinstance(v, str):
        raise ValueError("#VALUE!")
    return bool(v)


def recompute(data: bytes, sheet: str, ref: str):
    """The value Excel shows in `sheet`!`ref` after recomputing the workbook."""
    return Book(data).value(sheet, ref)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


_FUNCTIONS = {
    "N": lambda args, flat: float(_scalar(args[0])) if _is_number(_scalar(args[0])) else 0.0,
    "ISNUMBER": lambda args, flat: _is_number(_scalar(args[0])),
    "COUNT": lambda args, flat: float(sum(1 for v in flat if _is_number(v))),
    "SUM": lambda args, flat: float(sum(v for v in flat if _is_number(v))),
    "MIN": lambda args, flat: min(_num(v) for v in flat),
    "MAX": lambda args, flat: max(_num(v) for v in flat),
    "AND": lambda args, flat: all(_truthy(v) for v in flat),
    "OR": lambda args, flat: any(_truthy(v) for v in flat),
    "UPPER": lambda args, flat: _text(_scalar(args[0])).upper(),
    "TRIM": lambda args, flat: " ".join(_text(_scalar(args[0])).split()),
    "LEFT": lambda args, flat: _text(_scalar(args[0]))[: int(_num(_scalar(args[1]))) if len(args) > 1 else 1],
}
