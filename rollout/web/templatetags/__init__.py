"""Template libraries of the pages.

rollout.web is not an app of its own, so Django's app scan does not find this
package; `install` registers the library with the template engines (the pages'
URL module calls it) so that templates can `{% load offpeak %}`. Tests that
change TEMPLATES, DEBUG or INSTALLED_APPS (`available_apps`) make Django build
new engines; the library is registered again on those.

(A settings line would do the same: TEMPLATES[0]["OPTIONS"]["libraries"] =
{"offpeak": "rollout.web.templatetags.offpeak"}.)
"""

LIBRARIES = {"offpeak": "rollout.web.templatetags.offpeak"}
_ENGINE_SETTINGS = {"TEMPLATES", "DEBUG", "INSTALLED_APPS"}


def install() -> None:
    from django.test.signals import setting_changed

    _register()
    setting_changed.connect(_reinstall, dispatch_uid="offpeak-template-libraries")


def _register() -> None:
    from django.template import engines
    from django.template.library import import_library

    for backend in engines.all():
        engine = getattr(backend, "engine", None)
        if engine is None:
            continue
        for name, path in LIBRARIES.items():
            if name not in engine.template_libraries:
                engine.libraries[name] = path
                engine.template_libraries[name] = import_library(path)


def _reinstall(*, setting, **kwargs) -> None:
    if setting in _ENGINE_SETTINGS:
        from django.template import engines

        # Like Django's own reset (which may run before or after this one).
        engines._templates = None
        engines._engines = {}
        try:
            del engines.templates
        except AttributeError:
            pass
        _register()
