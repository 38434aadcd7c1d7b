// The sandbox's live updates: a long poll of this host, then the page's parts swapped in place.
// Without this script the page works the same, by reloading.
(function () {
  'use strict';
  var messages = document.getElementById('messages');
  if (!messages || !window.fetch || !window.DOMParser) {
    return;
  }

  var conversation = messages.getAttribute('data-conversation');
  var waitUrl = '/sandbox/c/' + encodeURIComponent(conversation) + '/wait';

  function current(id, attribute) {
    var element = document.getElementById(id);
    return element ? element.getAttribute(attribute) : '0';
  }

  function swap(fresh, id) {
    var next = fresh.getElementById(id);
    var old = document.getElementById(id);
    if (next && old) {
      old.replaceWith(document.importNode(next, true));
    }
  }

  async function refresh() {
    var response = await fetch(location.pathname + location.search, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
    if (!response.ok) {
      return;
    }

    var fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
    swap(fresh, 'conversations');
    swap(fresh, 'conversation-head');
    swap(fresh, 'messages');
    var after = fresh.querySelector('#composer input[name="after"]');
    var mine = document.querySelector('#composer input[name="after"]');
    if (after && mine) {
      mine.value = after.value;
    }

    var list = document.getElementById('messages');
    if (list && list.lastElementChild) {
      list.lastElementChild.scrollIntoView({ block: 'nearest' });
    }
  }

  function pause(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  async function poll() {
    for (;;) {
      try {
        var url = waitUrl + '?after=' + encodeURIComponent(current('messages', 'data-after')) + '&count=' + encodeURIComponent(current('conversations', 'data-count'));
        var response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
        if (!response.ok) {
          await pause(2000);
          continue;
        }

        var answer = await response.json();
        if (answer.changed) {
          await refresh();
        }
      } catch (e) {
        await pause(2000);
      }
    }
  }

  var text = document.getElementById('text');
  if (text) {
    text.focus();
    text.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        text.form.requestSubmit();
      }
    });
  }

  var list = document.getElementById('messages');
  if (list && list.lastElementChild) {
    list.lastElementChild.scrollIntoView({ block: 'nearest' });
  }

  poll();
})();
