"""A small safe expression language for a call's rules and formulas: parsed by hand, evaluated over Decimals."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Union

Value = Union[Decimal, bool, str]

_TOKEN = re.compile(r"\s*(?:(?P<num>[0-9]+(?:\.[0-9]+)?)|(?P<name>[a-z_][a-z0-9_]*)|(?P<str>'[^']*')"
                    r"|(?P<op><=|>=|==|!=|[-+*/()<>,]))")
_KEYWORDS = {"and", "or", "not", "true", "false"}
_FUNCTIONS = {"min", "max"}
_COMPARE = {"<", "<=", ">", ">=", "==", "!="}
MAX_LENGTH = 500


class ExprError(ValueError):
    """A formula or rule that cannot be read, or a value of the wrong kind while evaluating it."""


@dataclass(frozen=True)
class Node:
    op: str  # 'num', 'str', 'bool', 'name', 'not', 'neg', a binary operator, 'min', 'max'
    args: tuple[Node, ...] = ()
    value: Value | None = None


def _tokens(text: str) -> list[str]:
    if len(text) > MAX_LENGTH:
        raise ExprError(f"the expression has {len(text)} characters; at most {MAX_LENGTH}")
    found: list[str] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise ExprError(f"cannot read {text[pos:].strip()[:20]!r} at character {pos + 1} "
                            "(names are lowercase_words, numbers 4.5, text 'in quotes')")
        found.append(m.group(m.lastgroup or 0))
        pos = m.end()
    return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None:
            raise ExprError("the expression ends too early" + (f": expected {expected!r}" if expected else ""))
        if expected is not None and tok != expected:
            raise ExprError(f"expected {expected!r}, found {tok!r}")
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.toks:
            raise ExprError("the expression is empty")
        node = self.or_()
        if self.peek() is not None:
            raise ExprError(f"unexpected {self.peek()!r} after a complete expression")
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.peek() == "or":
            self.take()
            node = Node("or", (node, self.and_()))
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.peek() == "and":
            self.take()
            node = Node("and", (node, self.not_()))
        return node

    def not_(self) -> Node:
        if self.peek() == "not":
            self.take()
            return Node("not", (self.not_(),))
        return self.compare()

    def compare(self) -> Node:
        node = self.sum()
        if self.peek() in _COMPARE:
            op = self.take()
            node = Node(op, (node, self.sum()))
            if self.peek() in _COMPARE:
                raise ExprError("chained comparisons (a < b < c) are not allowed: join them with 'and'")
        return node

    def sum(self) -> Node:
        node = self.product()
        while self.peek() in ("+", "-"):
            op = self.take()
            node = Node(op, (node, self.product()))
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.peek() in ("*", "/"):
            op = self.take()
            node = Node(op, (node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.peek() == "-":
            self.take()
            return Node("neg", (self.unary(),))
        return self.atom()

    def atom(self) -> Node:
        tok = self.take()
        if tok == "(":
            node = self.or_()
            self.take(")")
            return node
        if tok[0].isdigit():
            return Node("num", value=Decimal(tok))
        if tok[0] == "'":
            return Node("str", value=tok[1:-1])
        if tok in ("true", "false"):
            return Node("bool", value=tok == "true")
        if tok in _FUNCTIONS and self.peek() == "(":
            self.take("(")
            args = [self.or_()]
            while self.peek() == ",":
                self.take()
                args.append(self.or_())
            self.take(")")
            return Node(tok, tuple(args))
        if tok in _KEYWORDS or not re.fullmatch(r"[a-z_][a-z0-9_]*", tok):
            raise ExprError(f"unexpected {tok!r}")
        return Node("name", value=tok)


def parse(text: str) -> Node:
    """The expression's tree; ExprError says what cannot be read."""
    return _Parser(text).parse()


def names(node: Node) -> set[str]:
    """Every variable the expression reads."""
    found = {str(node.value)} if node.op == "name" else set()
    for arg in node.args:
        found |= names(arg)
    return found


def _num(v: Value, what: str) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, Decimal):
        raise ExprError(f"{what} needs a number, got {v!r}")
    return v


def _bool(v: Value, what: str) -> bool:
    if not isinstance(v, bool):
        raise ExprError(f"{what} needs yes/no (true or false), got {v!r}")
    return v


def evaluate(node: Node, env: dict[str, Value]) -> Value:
    """The expression's value with the names of `env` (and/or short-circuit)."""
    op = node.op
    if op in ("num", "str", "bool"):
        assert node.value is not None
        return node.value
    if op == "name":
        name = str(node.value)
        if name not in env:
            raise ExprError(f"unknown name {name!r}")
        return env[name]
    if op == "not":
        return not _bool(evaluate(node.args[0], env), "not")
    if op == "and":
        return _bool(evaluate(node.args[0], env), "and") and _bool(evaluate(node.args[1], env), "and")
    if op == "or":
        return _bool(evaluate(node.args[0], env), "or") or _bool(evaluate(node.args[1], env), "or")
    if op == "neg":
        return -_num(evaluate(node.args[0], env), "-")
    if op in ("min", "max"):
        values = [_num(evaluate(a, env), op) for a in node.args]
        return min(values) if op == "min" else max(values)
    left, right = evaluate(node.args[0], env), evaluate(node.args[1], env)
    if op in ("==", "!="):
        if type(left) is not type(right):
            raise ExprError(f"{op} compares {left!r} with {right!r}, values of different kinds")
        return (left == right) if op == "==" else (left != right)
    a, b = _num(left, op), _num(right, op)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            raise ExprError("division by zero")
        try:
            return a / b
        except InvalidOperation as exc:
            raise ExprError(f"cannot divide {a} by {b}") from exc
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
