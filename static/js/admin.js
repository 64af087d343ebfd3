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
