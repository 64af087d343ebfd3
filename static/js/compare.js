/* The compare bar, progressively enhanced. Without this script the bar is a plain GET form that
   sends the practices ticked on the page. With it, the button says "Compare (n)", the choice is
   kept (sessionStorage) across pages, filters and searches, and boxes ticked on other pages are
   sent as hidden fields. Our own code; loaded with defer; no inline script (CSP). */
(function () {
  "use strict";

  var form = document.getElementById("compare-form");
  if (!form || !window.sessionStorage || !window.JSON) {
    return;
  }
  var KEY = "kb-compare-practices";
  var MIN = 2;
  var MAX = 4;
  var submit = form.querySelector("[data-compare-submit]");
  var clear = form.querySelector("[data-compare-clear]");
  var status = form.querySelector("[data-compare-status]");
  var kept = form.querySelector("[data-compare-kept]");

  function load() {
    try {
      var value = JSON.parse(window.sessionStorage.getItem(KEY) || "[]");
      return Array.isArray(value) ? value.filter(function (slug) { return typeof slug === "string"; }) : [];
    } catch (error) {
      return [];
    }
  }

  var chosen = load();

  function save() {
    try {
      window.sessionStorage.setItem(KEY, JSON.stringify(chosen));
    } catch (error) {
      /* storage full or disabled: the page still works for this page's boxes */
    }
  }

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll('input[type="checkbox"][form="compare-form"]'));
  }

  function render() {
    var shown = {};
    boxes().forEach(function (box) {
      box.checked = chosen.indexOf(box.value) !== -1;
      shown[box.value] = true;
    });
    kept.replaceChildren();
    chosen.forEach(function (slug) {
      if (!shown[slug]) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "practice";
        input.value = slug;
        kept.appendChild(input);
      }
    });
    var n = chosen.length;
    // gettext and interpolate come from the JavaScript catalogue (/jsi18n/), in the page's language.
    var gettext = window.gettext || function (text) { return text; };
    var fill = window.interpolate || function (text, values) {
      return text.replace(/%\(\w+\)s/g, function (name) { return values[name.slice(2, -2)]; });
    };
    submit.textContent = fill(gettext("Compare (%(count)s)"), { count: n }, true);
    clear.hidden = n === 0;
    if (n === 0) {
      status.textContent = gettext("Tick two to four, then");
    } else if (n < MIN) {
      status.textContent = gettext("1 ticked: tick at least one more, then");
    } else if (n > MAX) {
      status.textContent = fill(gettext("%(count)s ticked: at most %(max)s can be compared, the first %(max)s will be;"), { count: n, max: MAX }, true);
    } else {
      status.textContent = fill(gettext("%(count)s ticked:"), { count: n }, true);
    }
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches('input[type="checkbox"][form="compare-form"]')) {
      return;
    }
    var at = chosen.indexOf(box.value);
    if (box.checked && at === -1) {
      chosen.push(box.value);
    } else if (!box.checked && at !== -1) {
      chosen.splice(at, 1);
    }
    save();
    render();
  });

  clear.addEventListener("click", function () {
    chosen = [];
    save();
    render();
    submit.focus();
  });

  /* browse.js swaps the results in place: tick the new cards' boxes again. */
  var browse = document.getElementById("browse");
  if (browse && window.MutationObserver) {
    new MutationObserver(render).observe(browse, { childList: true });
  }
  form.classList.add("compare-bar-live");
  render();
})();
