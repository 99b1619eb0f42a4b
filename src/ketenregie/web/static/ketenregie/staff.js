// Progressive enhancement only: every form works without JavaScript.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.classList.contains("kr-autosubmit") && target.form) {
    target.form.submit();
  }
});
