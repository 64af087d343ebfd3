// Progressive enhancement: a "Copy" button next to every read-only text marked data-copy-source.
(function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  // gettext comes from the JavaScript catalogue (/jsi18n/), in the page's language.
  var gettext = window.gettext || function (text) { return text; };
  document.querySelectorAll("[data-copy-source]").forEach(function (source) {
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.textContent = gettext("Copy citation");
    status.setAttribute("role", "status");
    status.className = "copy-status";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(
        function () { status.textContent = gettext("Copied."); },
        function () { source.select(); status.textContent = gettext("Select the text and copy it."); }
      );
    });
    source.insertAdjacentElement("afterend", status);
    source.insertAdjacentElement("afterend", button);
  });
})();
