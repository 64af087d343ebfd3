/* The project's admin behaviour (loaded on every admin page; CSP forbids inline scripts). */
"use strict";

/* A slug that follows its title as the curator types (an unpublished entry): Django's prepopulate
   fills only an empty slug, so an edited title would otherwise leave a typo in the address. Typing
   in the slug itself stops the following. */
function slugOf(text, maxLength) {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^\w\s-]/g, "").trim().replace(/[-\s_]+/g, "-").slice(0, maxLength).replace(/-+$/, "");
}

function followTitles() {
  document.querySelectorAll("input[data-slug-from]").forEach((slug) => {
    const source = document.getElementById(slug.dataset.slugFrom);
    if (!source) return;
    const max = slug.maxLength > 0 ? slug.maxLength : 50;
    let follows = slug.value === "" || slug.value === slugOf(source.value, max);
    slug.addEventListener("input", () => { follows = false; });
    source.addEventListener("input", () => {
      if (follows) slug.value = slugOf(source.value, max);
    });
  });
}

document.addEventListener("DOMContentLoaded", followTitles);

/* The admin's autocomplete widget (Select2) leaves its controls without accessible names: the
   combobox is labelled only by the selected value (none when empty), the search box of a multiple
   choice by nothing, and its list holds a "clear" span among the items. Name both from the
   field's own <label> and move the span out of the list, again whenever Select2 redraws. */
function labelOf(select) {
  const label = select.id ? document.querySelector(`label[for="${select.id}"]`) : null;
  if (!label) return null;
  if (!label.id) label.id = `${select.id}-label`;
  return label;
}

function nameSelect2(container) {
  const select = container.previousElementSibling;
  if (!select || select.tagName !== "SELECT") return;
  const label = labelOf(select);
  if (!label) return;
  const combobox = container.querySelector(".select2-selection[role=combobox]");
  if (combobox) {
    const rendered = combobox.querySelector(".select2-selection__rendered[id]");
    const wanted = rendered && combobox.classList.contains("select2-selection--single")
      ? `${label.id} ${rendered.id}` : label.id;
    if (combobox.getAttribute("aria-labelledby") !== wanted) combobox.setAttribute("aria-labelledby", wanted);
  }
  // The selected value is shown in a span Select2 calls a read-only textbox: it is the combobox's
  // value, not a control of its own.
  container.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach((rendered) => {
    rendered.removeAttribute("role");
    rendered.removeAttribute("aria-readonly");
  });
  container.querySelectorAll(".select2-search__field").forEach((field) => {
    const name = label.textContent.replace(/:\s*$/, "").trim();
    if (field.getAttribute("aria-label") !== name) field.setAttribute("aria-label", name);
  });
  container.querySelectorAll("ul.select2-selection__rendered > :not(li)").forEach((stray) => {
    stray.parentElement.before(stray);
  });
}

function nameAllSelect2() {
  document.querySelectorAll("span.select2-container").forEach(nameSelect2);
}

/* A date-and-time field's two inputs (the admin's split widget) have one label between them, tied
   to neither: name each after the field. */
function nameSplitDateTimes() {
  document.querySelectorAll("input.vDateField, input.vTimeField").forEach((input) => {
    if (input.labels && input.labels.length) return;
    const row = input.closest(".form-row, .fieldBox, fieldset");
    const label = row ? row.querySelector("label, legend") : null;
    if (!label) return;
    const part = input.classList.contains("vDateField") ? "date" : "time";
    input.setAttribute("aria-label", `${label.textContent.replace(/:\s*$/, "").trim()} (${part})`);
  });
}

/* The two-box filter of many-to-many fields (users' groups and permissions) puts an aria-label on a
   bare <span> icon, where ARIA forbids it: the icon is an image with that name. */
function roleForLabelledIcons() {
  document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach((icon) => {
    icon.setAttribute("role", "img");
  });
}

function repairWidgets() {
  nameAllSelect2();
  roleForLabelledIcons();
}

document.addEventListener("DOMContentLoaded", () => {
  nameSplitDateTimes();
  repairWidgets();
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(() => { pending = false; repairWidgets(); });
  }).observe(document.body, { childList: true, subtree: true });
});
