/* Offpeak pages: small progressive enhancements, no framework. */
(function () {
  "use strict";

  // Forms marked data-autosubmit submit on change; their button is then hidden.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
    form.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
  });

  // On the proposal form, an alternative or the fallback date becomes the date.
  document.addEventListener("click", function (e) {
    var b = e.target.closest("#live-eval button[data-day]");
    var input = document.getElementById("id_go_live");
    if (!b || !input) return;
    input.value = b.dataset.day;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.focus();
  });

  var grid = document.getElementById("heatmap");
  if (!grid) return;

  var cells = Array.prototype.slice.call(grid.querySelectorAll(".d"));
  var byDate = {};
  cells.forEach(function (c, i) { byDate[c.dataset.d] = i; });
  var panel = document.getElementById("evaluation");
  var tip = document.getElementById("daytip");
  var announce = document.getElementById("announce");
  var wrap = grid.parentElement;
  var evalUrl = grid.dataset.evalUrl;
  var active = null;

  function setActive(cell, focus) {
    if (!cell) return;
    if (active) active.tabIndex = -1;
    active = cell;
    cell.tabIndex = 0;
    if (focus) {
      cell.focus();
      cell.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }

  function showTip(cell) {
    tip.textContent = cell.getAttribute("aria-label");
    tip.hidden = false;
    var r = cell.getBoundingClientRect(), w = wrap.getBoundingClientRect();
    var left = r.left - w.left + r.width / 2 - 120;
    left = Math.max(4, Math.min(left, w.width - 344));
    tip.style.left = left + "px";
    tip.style.top = (r.bottom - w.top + 6) + "px";
  }
  function hideTip() { tip.hidden = true; }

  function clearPhases() {
    grid.querySelectorAll(".ph-training, .ph-cutover, .ph-hypercare").forEach(function (c) {
      c.classList.remove("ph-training", "ph-cutover", "ph-hypercare");
    });
    grid.querySelectorAll('[aria-selected="true"]').forEach(function (c) { c.removeAttribute("aria-selected"); });
  }

  function drawPhases() {
    clearPhases();
    var data = document.getElementById("eval-phases");
    var body = document.getElementById("eval-body");
    if (body && byDate[body.dataset.day] !== undefined) {
      cells[byDate[body.dataset.day]].setAttribute("aria-selected", "true");
    }
    if (!data) return;
    JSON.parse(data.textContent).forEach(function (p) {
      cells.forEach(function (c) {
        if (c.dataset.d >= p.start && c.dataset.d <= p.end) c.classList.add("ph-" + p.name);
      });
    });
  }


  function openDay(iso, moveFocus) {
    var url = evalUrl + "&date=" + encodeURIComponent(iso);
    panel.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        panel.innerHTML = html;
        panel.removeAttribute("aria-busy");
        drawPhases();
        var body = document.getElementById("eval-body");
        if (body) announce.textContent = body.dataset.summary;
        var params = new URLSearchParams(window.location.search);
        params.set("day", iso);
        history.replaceState(null, "", "?" + params.toString());
        var i = byDate[iso];
        if (i !== undefined && moveFocus) setActive(cells[i], true);
        if (window.matchMedia("(max-width: 1180px)").matches && !moveFocus) {
          panel.scrollIntoView({ behavior: "smooth", block: "start" });
        }
      })
      .catch(function () {
        panel.removeAttribute("aria-busy");
        window.location.search = "?" + new URLSearchParams({ rollout: new URL(evalUrl, location.href).searchParams.get("rollout"), day: iso });
      });
  }

  function move(from, delta) {
    var i = cells.indexOf(from) + delta;
    if (i < 0 || i >= cells.length) return from;
    return cells[i];
  }
  function sameDayOtherMonth(from, months) {
    var d = from.dataset.d.split("-").map(Number);
    var y = d[0], m = d[1] - 1 + months, day = d[2];
    y += Math.floor(m / 12); m = ((m % 12) + 12) % 12;
    var last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    var iso = y + "-" + String(m + 1).padStart(2, "0") + "-" + String(Math.min(day, last)).padStart(2, "0");
    return byDate[iso] !== undefined ? cells[byDate[iso]] : from;
  }

  grid.addEventListener("keydown", function (e) {
    var cell = e.target.closest(".d");
    if (!cell) return;
    var next = null;
    switch (e.key) {
      case "ArrowRight": next = move(cell, 1); break;
      case "ArrowLeft": next = move(cell, -1); break;
      case "ArrowDown": next = sameDayOtherMonth(cell, 1); break;
      case "ArrowUp": next = sameDayOtherMonth(cell, -1); break;
      case "PageDown": next = sameDayOtherMonth(cell, 3); break;
      case "PageUp": next = sameDayOtherMonth(cell, -3); break;
      case "Home": next = cells[byDate[cell.dataset.d.slice(0, 8) + "01"]]; break;
      case "End": next = cell.parentElement.querySelector(".d:last-of-type"); break;
      case "Enter": case " ":
        e.preventDefault();
        if (cell.dataset.ok) openDay(cell.dataset.d, false);
        return;
      case "Escape": hideTip(); return;
      default: return;
    }
    e.preventDefault();
    if (next) { setActive(next, true); showTip(next); }
  });
  grid.addEventListener("click", function (e) {
    var cell = e.target.closest(".d");
    if (!cell) return;
    setActive(cell, false);
    if (cell.dataset.ok) openDay(cell.dataset.d, false);
  });
  grid.addEventListener("mouseover", function (e) { var c = e.target.closest(".d"); if (c) showTip(c); });
  grid.addEventListener("mouseleave", hideTip);
  grid.addEventListener("focusin", function (e) { var c = e.target.closest(".d"); if (c) { setActive(c, false); showTip(c); } });
  grid.addEventListener("focusout", hideTip);

  // Recommended windows, alternatives and the fallback open their day (the
  // recommendations may be swapped in by htmx while they are recalculated).
  document.addEventListener("click", function (e) {
    var b = e.target.closest(".recs [data-day], #evaluation button[data-day]");
    if (b) openDay(b.dataset.day, true);
  });

  var start = byDate[grid.dataset.focus];
  setActive(cells[start !== undefined ? start : 0], false);
  drawPhases();
})();
