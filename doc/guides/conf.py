# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors

"""Sphinx configuration of the vfbc guides."""

import configparser
import importlib.util
import os

from sphinx.util import logging

_GUIDES = os.path.dirname(os.path.abspath(__file__))
_LOG = logging.getLogger(__name__)

project = 'vfbc'
author = 'The vfbc authors'
copyright = '2026, The vfbc authors'
with open(os.path.join(_GUIDES, '..', '..', 'VERSION'), encoding='utf-8') as _f:
    version = release = _f.read().strip()

master_doc = 'index'
exclude_patterns = ['_build', '**/.*']
highlight_language = 'none'
numfig = True

html_theme = 'sphinx_rtd_theme' if importlib.util.find_spec('sphinx_rtd_theme') else 'default'
html_title = f'vfbc {version}'
html_show_sourcelink = False

# Section indexes list their pages with a glob toctree entry "*", so that a
# page added to a section shows up without editing its index. A glob that
# matches nothing is a warning (an empty section, or one whose pages are all
# listed explicitly): such a "*" entry is dropped, and a toctree left empty
# with it.
def _drop_empty_globs(docname, text):
    here = os.path.join(_GUIDES, os.path.dirname(docname))
    me = os.path.basename(docname)
    pages = {f[:-4] for f in os.listdir(here) if f.endswith('.rst') and f[:-4] != me}
    lines = text.split('\n')
    out = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith('.. toctree::'):
            out.append(lines[i])
            i += 1
            continue
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or lines[j][0] in ' \t'):
            j += 1
        block = lines[i:j]
        entries = [ln.strip() for ln in block[1:]
                   if ln.strip() and not ln.strip().startswith(':')]
        explicit = {e for e in entries if e != '*'}
        if '*' in entries and not pages - explicit:
            block = [ln for ln in block if ln.strip() != '*'] if explicit else ['']
        out += block
        i = j
    return '\n'.join(out)


# The NIC feature tables: one column per nics/features/<driver>.ini, one row
# per key of nics/features/default.ini, which also fixes the row order.
_FEATURES_MARK = '.. vfbc-features-table::'


def _feature_tables():
    fdir = os.path.join(_GUIDES, 'nics', 'features')
    default = configparser.ConfigParser()
    default.optionxform = str
    default.read(os.path.join(fdir, 'default.ini'), encoding='utf-8')
    drivers = sorted(f[:-4] for f in os.listdir(fdir)
                     if f.endswith('.ini') and f != 'default.ini')
    data = {}
    for drv in drivers:
        cfg = configparser.ConfigParser()
        cfg.optionxform = str
        cfg.read(os.path.join(fdir, drv + '.ini'), encoding='utf-8')
        data[drv] = cfg
        for section in cfg.sections():
            if not default.has_section(section):
                _LOG.warning('nics/features/%s.ini: unknown section [%s]', drv, section)
                continue
            for key in cfg.options(section):
                if not default.has_option(section, key):
                    _LOG.warning('nics/features/%s.ini: unknown feature "%s" in [%s]',
                                 drv, key, section)

    out = []
    for section in default.sections():
        out += [f'.. list-table:: {section}', '    :header-rows: 1', '    :stub-columns: 1',
                '', '    * - Feature']
        out += [f'      - {drv}' for drv in drivers] or ['      - (no driver yet)']
        for key in default.options(section):
            out.append(f'    * - {key}')
            for drv in drivers:
                val = data[drv].get(section, key, fallback='').strip()
                out.append(f'      - {val}' if val else '      -')
            if not drivers:
                out.append('      -')
        out.append('')
    return '\n'.join(out) + '\n'


def _source_read(app, docname, source):
    text = _drop_empty_globs(docname, source[0])
    if _FEATURES_MARK in text:
        text = text.replace(_FEATURES_MARK + '\n', _feature_tables())
    source[0] = text


def setup(app):
    app.connect('source-read', _source_read)
