// The Alarm tab: when the object's one alarm is due, set it, delete it, or run it now.

import {api} from './api.js';
import {errorBox, h, localDateTime, notify, relativeTime, replace} from './dom.js';

const QUICK = [['In 10 s', 10_000], ['In 1 min', 60_000], ['In 1 hour', 3_600_000], ['In 1 day', 86_400_000]];

export async function renderAlarm(panel, ctx) {
  let alarm = null;
  const status = h('div', {class: 'alarm-status'});
  const time = h('input', {type: 'datetime-local', step: '1', class: 'field', id: 'alarm-time',
    'aria-describedby': 'alarm-zone'});
  const outcome = h('div', {class: 'alarm-outcome', 'aria-live': 'polite'});
  const setButton = h('button', {type: 'submit', class: 'primary'}, 'Set alarm');
  const deleteButton = h('button', {type: 'button', onclick: () => act('delete')}, 'Delete alarm');
  const runButton = h('button', {type: 'button', onclick: () => act('run'),
    title: 'Wake the object and run its alarm handler now'}, 'Run now');

  replace(panel, h('div', {class: 'alarm-layout'},
    h('section', {class: 'card'}, h('h3', null, 'Alarm'), status),
    h('section', {class: 'card'},
      h('form', {class: 'alarm-form', onsubmit: (e) => {
        e.preventDefault();
        act('set');
      }},
      h('label', {for: 'alarm-time', class: 'field-name'}, 'Run at'),
      h('div', {class: 'alarm-time-line'}, time,
        h('span', {id: 'alarm-zone', class: 'muted small'}, `your local time (${Intl.DateTimeFormat().resolvedOptions().timeZone})`)),
      h('div', {class: 'quick'}, QUICK.map(([label, ms]) => h('button', {type: 'button', class: 'small',
        onclick: () => {
          time.value = inputValue(Date.now() + ms);
          time.focus();
        }}, label))),
      h('div', {class: 'alarm-actions'}, setButton, deleteButton, runButton)),
      outcome)));

  async function load() {
    try {
      alarm = (await api.alarm(ctx.ns, ctx.object)).result;
    } catch (e) {
      replace(status, errorBox(e, 'Could not read the alarm'));
      return;
    }
    renderStatus();
    deleteButton.disabled = alarm.epoch_millis == null;
    if (alarm.epoch_millis != null && !time.value) time.value = inputValue(alarm.epoch_millis);
  }

  function renderStatus() {
    if (!alarm) return;
    if (alarm.epoch_millis == null) {
      replace(status, h('p', {class: 'alarm-none'}, 'No alarm is set.'),
        h('p', {class: 'muted small'}, 'An object has at most one alarm; its alarm() handler runs when it is due.'));
      return;
    }
    const due = alarm.epoch_millis <= Date.now();
    replace(status,
      h('p', {class: 'alarm-when'}, localDateTime(alarm.epoch_millis)),
      h('p', {class: due ? 'warn' : 'muted'}, due ? `Due ${relativeTime(alarm.epoch_millis)}: it runs now, or is being retried` : relativeTime(alarm.epoch_millis)),
      h('p', {class: 'muted small mono'}, alarm.scheduled_time));
  }

  async function act(what) {
    replace(outcome);
    try {
      if (what === 'set') {
        if (!time.value) {
          replace(outcome, errorBox(new Error('Pick a time first, or use one of the “In …” buttons.')));
          time.focus();
          return;
        }
        const at = new Date(time.value);
        if (Number.isNaN(at.getTime())) {
          replace(outcome, errorBox(new Error(`'${time.value}' is not a date and time`)));
          return;
        }
        alarm = (await api.setAlarm(ctx.ns, ctx.object, at.toISOString())).result;
        notify(`Alarm set for ${localDateTime(alarm.epoch_millis)}`);
      } else if (what === 'delete') {
        alarm = (await api.deleteAlarm(ctx.ns, ctx.object)).result;
        notify('Alarm deleted');
      } else {
        const r = (await api.runAlarm(ctx.ns, ctx.object)).result;
        alarm = r.alarm;
        replace(outcome, h('p', {class: r.ran ? 'ok-text' : 'muted'}, r.ran
          ? `The alarm handler ran${r.alarm.epoch_millis != null ? `; the next alarm is ${relativeTime(r.alarm.epoch_millis)}` : ''}.`
          : 'No alarm was set, so nothing ran.'));
      }
    } catch (e) {
      replace(outcome, errorBox(e, what === 'set' ? 'Not set' : what === 'delete' ? 'Not deleted' : 'Did not run'));
    }
    renderStatus();
    deleteButton.disabled = alarm?.epoch_millis == null;
    await ctx.refreshSummary();
  }

  await load();
  const ticker = setInterval(renderStatus, 1000);
  return () => clearInterval(ticker);
}

/** A datetime-local input's value for a time: local, to the second. */
function inputValue(epochMillis) {
  return localDateTime(epochMillis).replace(' ', 'T');
}
