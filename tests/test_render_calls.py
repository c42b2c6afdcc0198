"""How a template calls the helpers in its globals (render.py's Environment and Context):
ours straight away, the rest as Jinja would; and what `{{ value }}` outputs, as Jinja would."""

from __future__ import annotations

import jinja2
import markupsafe
import pytest

from placepress.render import _environment_class, replaced, text_escaper


def environment(**helpers) -> jinja2.Environment:
    env = _environment_class()(undefined=jinja2.StrictUndefined, autoescape=True)
    env.globals.update(helpers)
    env.know_helpers()
    return env


def shout(text: str, end: str = "!") -> str:
    return text.upper() + end


class Greeter:
    @jinja2.pass_context
    def __call__(self, context, greeting: str) -> str:
        return f"{greeting}, {context['name']}"


def test_a_helper_is_called_with_the_template_arguments_alone_in_loops_blocks_and_macros():
    env = environment(shout=shout)
    template = env.from_string(
        "{% macro m(x) %}{{ shout(x) }}{% endmacro %}"
        "{% block b %}{% for x in ['a'] %}{{ shout(x, end='?') }}{% set y = x %}{{ shout(y) }}{% endfor %}{% endblock %}"
        "{{ m('c') }}{{ shout('d') }}")
    assert template.render() == "A?A!C!D!"
    assert id(shout) in env.plain


def test_helpers_that_ask_for_the_context_or_environment_still_get_it():
    env = environment(name_of=jinja2.pass_context(lambda context: context["name"]),
                      greet=Greeter(), home=jinja2.pass_environment(lambda env: type(env).__name__),
                      shout=shout)
    template = env.from_string("{% for _ in [1] %}{{ name_of() }} {{ greet('Hello') }} {{ home() }}{% endfor %}")
    assert template.render(name="Ann") == "Ann Hello, Ann Environment"
    assert set(env.plain) == {id(shout)}


def test_a_helper_whose_generator_ran_out_gives_undefined_as_in_jinja():
    def first_of(items):
        return next(iter(items))

    env = environment(first_of=first_of)
    assert env.from_string("{{ first_of([]) is defined }} {{ first_of([2]) }}").render() == "False 2"
    with pytest.raises(jinja2.UndefinedError, match="StopIteration"):
        env.from_string("{{ first_of([]) }}").render()


def test_a_global_set_after_the_helpers_were_known_is_called_as_jinja_calls_it():
    env = environment(shout=shout)
    env.globals["late"] = jinja2.pass_context(lambda context: context["name"])
    assert env.from_string("{{ late() }} {{ shout('x') }}").render(name="Bo") == "Bo X!"


def test_what_a_compiled_template_names_comes_from_the_tree_it_was_compiled_from(tmp_path):
    from placepress.render import compile_templates, template_names

    (tmp_path / "base.html").write_text("<main>{% block body %}{% endblock %}</main>\n", encoding="utf-8")
    (tmp_path / "_part.html").write_text("part\n", encoding="utf-8")
    (tmp_path / "post.html").write_text('{% extends "base.html" %}{% block body %}{% include "_part.html" %}'
                                        '{% from "_part.html" import x %}{% endblock %}\n', encoding="utf-8")
    (tmp_path / "any.html").write_text("{% include name %}\n", encoding="utf-8")
    env = _environment_class()(loader=jinja2.FileSystemLoader(tmp_path))
    assert compile_templates(env, tmp_path) == []
    fresh = {name: template_names(_environment_class()(loader=jinja2.FileSystemLoader(tmp_path)), name)
             for name in ("post.html", "base.html", "any.html")}
    assert fresh == {"post.html": frozenset({"base.html", "_part.html"}), "base.html": frozenset(), "any.html": None}
    (tmp_path / "post.html").write_text("{% include 'other.html' %}\n", encoding="utf-8")  # not read again: not parsed twice
    assert {name: template_names(env, name) for name in fresh} == fresh


class Shown:
    def __html__(self) -> str:
        return "<b>shown</b> as it is & not escaped"


class Spelt:
    def __str__(self) -> str:
        return "Tom & Jerry's <\"show\">"


ODD_VALUES = ["", "plain", "Tom & Jerry's <\"show\"> &amp;", "Ordsall – ‘Salford’ £5 & café", "<<&&>>''\"\"",
              markupsafe.Markup("<i>safe</i> & sound"), Shown(), Spelt(), 0, 3.5, -2, True, None, ["a<b"], {"k": "v&w"}]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_an_output_value_is_escaped_to_the_text_markupsafe_gives(value):
    assert text_escaper()(value) == str(markupsafe.escape(value))
    if isinstance(value, str):
        assert replaced(str(value)) == str(markupsafe.escape(str(value)))  # the fallback for another markupsafe


def test_a_template_outputs_what_jinja_outputs_for_any_value_in_blocks_macros_loops_and_filters():
    source = ("{% macro m(x) %}[{{ x }}]{% endmacro %}{% set kept %}{{ values[2] }}{% endset %}"
              "{% for v in values %}{{ v }}|{{ m(v) }}|{{ v | string }}|{{ v ~ '&' }}|{% endfor %}{{ kept }}{{ kept | length }}"
              "{% autoescape false %}{{ values[2] }}{% endautoescape %}{% block b %}{{ values[3] }}{% endblock %}")
    ours = _environment_class()(autoescape=True).from_string(source).render(values=ODD_VALUES)
    jinjas = jinja2.Environment(autoescape=True).from_string(source).render(values=ODD_VALUES)
    assert ours == jinjas
    assert "Tom &amp; Jerry&#39;s &lt;&#34;show&#34;&gt; &amp;amp;" in ours and "<b>shown</b> as it is & not escaped" in ours


def test_an_undefined_value_fails_as_it_does_in_jinja():
    env = _environment_class()(autoescape=True, undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError, match="'missing' is undefined"):
        env.from_string("{{ missing }}").render()
    assert _environment_class()(autoescape=True).from_string("[{{ missing }}]").render() == "[]"


MACROS = ("{% macro m(a, b='B', c=none) %}<{{ a }}|{{ b }}|{{ c }}|{{ varargs }}|{{ kwargs }}|{{ caller() if caller }}>{% endmacro %}"
          "{% macro plain(x) %}{{ x }}{% endmacro %}")


@pytest.mark.parametrize("call", [
    "{{ m('&') }}", "{{ m('a', 'b', 'c') }}", "{{ m(a='x', c='<z>') }}", "{{ m('a', c=1) }}", "{{ m('a', 'b', 'c', 'd') }}",
    "{{ m('a', d=2) }}", "{% call m('a') %}inside{% endcall %}", "{% call(x) plain('y') %}{{ x }}{% endcall %}",
    "{% for i in [1, 2] %}{{ plain(i) }}{% endfor %}", "{% block b %}{{ plain('<b>') }}{% endblock %}",
    "{% set s = plain('<i>') %}{{ s }}{{ s | length }}", "{% autoescape false %}{{ plain('<u>') }}{% endautoescape %}",
    "{{ plain() }}", "{{ plain(1, 2) }}", "{{ plain(y=1) }}", "{{ m }}",
    # Called where nothing is escaped, its text kept and shown where all is: the call's
    # evaluation context decides that the text is not markup (escaped once more when shown).
    "{% set ns = namespace() %}{% autoescape false %}{% set ns.s = m('&') %}{% endautoescape %}{{ ns.s }}",
])
def test_a_macro_call_renders_or_fails_as_it_does_in_jinja(call):
    """Macros are called without Jinja's call (Context.call): the same arguments, defaults,
    caller, varargs, kwargs and escaping, and the same mistakes."""
    results = []
    for env in (_environment_class()(autoescape=True), jinja2.Environment(autoescape=True)):
        try:
            results.append(env.from_string(MACROS + call).render())
        except (TypeError, jinja2.TemplateError) as error:
            results.append(f"{type(error).__name__}: {error}")
    assert results[0] == results[1]
