// Progressive enhancement for meldingen and casework; every action also works without JavaScript.
document.addEventListener("click", function (event) {
  var target = event.target;
  if (!(target instanceof Element)) {
    return;
  }
  var use = target.closest(".kr-use-suggestion");
  if (use) {
    // Put the suggested category in the category field; the user still saves the form themselves.
    var select = document.getElementById(use.getAttribute("data-target"));
    if (select) {
      select.value = use.getAttribute("data-value");
      select.focus();
    }
    return;
  }
  if (target.closest(".kr-print")) {
    window.print();
  }
});
