// Copy buttons, and the one-time reload that carries the session cookie after a cross-site return. No page works
// less without this script: values stay selectable and the reload is a link.
document.addEventListener('click', function (event) {
  var button = event.target.closest('button.copy');
  if (!button || !navigator.clipboard) {
    return;
  }
  navigator.clipboard.writeText(button.getAttribute('data-copy')).then(function () {
    var label = button.textContent;
    button.textContent = 'Copied';
    setTimeout(function () { button.textContent = label; }, 1500);
  });
});
document.addEventListener('DOMContentLoaded', function () {
  var follow = document.querySelector('a[data-autofollow]');
  if (follow) {
    window.location.replace(follow.href);
  }
});
