// Progressive enhancement only: every page works without this file.
// Filter menus on the stories page apply as soon as a value is chosen.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select.autosubmit").forEach(function (el) {
    el.addEventListener("change", function () {
      if (el.form) el.form.submit();
    });
  });
});
