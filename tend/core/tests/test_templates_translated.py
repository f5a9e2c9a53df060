"""Every word a template shows a person is marked for translation."""

from __future__ import annotations

from tend.core.tests.i18n_scan import scan, template_files, untranslated


def test_every_template_word_is_marked_for_translation() -> None:
    findings = scan()
    assert not findings, "Words not marked for translation:\n" + "\n".join(map(str, findings))


def test_the_scan_reads_every_template() -> None:
    names = {name for name, _path in template_files()}
    # Templates of the project, of apps and of overridden third-party apps alike.
    assert {"base.html", "journal/capture.html", "account/login.html"} <= names
    assert {"booking/public/slots.html", "notifications/email/notice.txt"} <= names
    assert len(names) > 100


def test_text_outside_translate_tags_is_found() -> None:
    source = """{% load i18n %}<h1>{% translate "Hello" %}</h1>
<p class="muted">Good to see you</p>"""
    assert [(f.line, f.text) for f in untranslated(source)] == [(2, "Good to see you")]


def test_words_people_hear_in_attributes_are_found() -> None:
    source = """<button aria-label="Close" class="button-quiet">&times;</button>
<img src="{{ src }}" alt="A photo">
<input placeholder="{% translate 'Search' %}" name="q">"""
    assert [f.text for f in untranslated(source)] == ["Close", "A photo"]


def test_words_split_by_variables_and_tags_are_found() -> None:
    source = """{% load i18n %}{% if n %}You have {{ n }} new{% endif %}"""
    assert [f.text for f in untranslated(source)] == ["You have new"]


def test_translated_blocks_comments_and_class_names_are_not_words() -> None:
    source = """{% load i18n %}{% block main_class %}main-narrow{% endblock %}
{% blocktranslate trimmed with name=name %}
  Hello {{ name }}, welcome back.
{% endblocktranslate %}
{# A note for developers #}{% comment %}Not shown either{% endcomment %}
<a href="/x/" class="button button-primary" id="go">{% translate "Go" %}</a> · Tend
<script src="/static/x.js">var shown = "nothing";</script>
<{% if href %}a href="{{ href }}"{% else %}button type="submit"{% endif %} class="button">"""
    assert untranslated(source) == []


def test_brand_urls_and_signs_are_allowed() -> None:
    source = """<p>Tend · API · PDF &middot; 3 / 4 — https://example.org/a/b.ics</p>"""
    assert untranslated(source) == []


def test_words_in_tag_and_variable_literals_are_found() -> None:
    source = """{{ note|default:"Nothing yet" }}{{ note|default:_("Nothing here") }}
{% include "journal/_field.html" with title="Your map" %}{% url 'journal:index' %}"""
    assert [(f.line, f.text) for f in untranslated(source)] == [
        (1, "Nothing yet"),
        (2, "Your map"),
    ]
