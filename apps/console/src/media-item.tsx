// One item's picture, exposure-aware (issue 17, "Less exposure, by design"): list-matched content
// shows its list, category and match instead of a picture unless the analyst asks; other files show
// the API's blurred greyscale preview (fetched with the bearer header, shown from a blob: URL); a
// reveal is deliberate (a reason, then confirm) and interactive: the revealed image stays blurred
// except a circle under the pointer, re-blurred when the pointer leaves.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { errorText } from './api.ts';
import type { CaseItem } from './api-types.ts';
import { useConsole } from './console-context.ts';

/** Loads an image route into a blob: URL, revoked when the component goes. */
function useBlobUrl(load: (() => Promise<Blob>) | null): { url: string | null; error: string | null } {
  const [state, setState] = useState<{ url: string | null; error: string | null }>({
    url: null,
    error: null,
  });
  useEffect(() => {
    if (load === null) return undefined;
    let live = true;
    let url: string | null = null;
    load()
      .then((blob) => {
        url = URL.createObjectURL(blob);
        if (live) setState({ url, error: null });
        else URL.revokeObjectURL(url);
      })
      .catch((failure: unknown) => live && setState({ url: null, error: errorText(failure) }));
    return () => {
      live = false;
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [load]);
  return state;
}

export function MediaItem(props: { reportId: string; item: CaseItem }) {
  const { item } = props;
  const sha256 = item.sha256 ?? null;
  const matches = item.matches ?? [];
  const listMatched = matches.length > 0 || (item.matchedLists ?? []).length > 0;
  const [showAnyway, setShowAnyway] = useState(false);
  if (sha256 === null) {
    return <p class="muted">{item.url != null ? `Reported URL: ${item.url}` : 'No stored file.'}</p>;
  }
  if (listMatched && !showAnyway) {
    return (
      <div class="known-match" data-testid="known-match">
        <p>
          <strong>Known content</strong>: matched a list, so no picture is shown.
        </p>
        <ul>
          {matches.map((match) => (
            <li key={`${match.listName}-${match.hashType}`}>
              {match.listName}{' '}
              {match.listVersion !== undefined && <span class="muted">({match.listVersion})</span>}
              {' · '}category {match.category ?? '—'}
              {match.categoryLabel != null && ` (${match.categoryLabel})`}
              {' · '}
              {match.hashType ?? 'hash'} {match.distance ? `distance ${match.distance}` : 'exact'}
            </li>
          ))}
          {matches.length === 0 && <li>{(item.matchedLists ?? []).join(', ')}</li>}
        </ul>
        <button type="button" data-testid="show-anyway" onClick={() => setShowAnyway(true)}>
          Show the blurred preview anyway
        </button>
      </div>
    );
  }
  return <Preview reportId={props.reportId} sha256={sha256} />;
}

function Preview(props: { reportId: string; sha256: string }) {
  const { api, exposed } = useConsole();
  const [load] = useState(() => async () => {
    const blob = await api.blob(`/v1/media/${props.sha256}/preview`);
    exposed();
    return blob;
  });
  const preview = useBlobUrl(load);
  const [step, setStep] = useState<'preview' | 'reason' | 'revealed'>('preview');
  const [reason, setReason] = useState('');
  const [denied, setDenied] = useState<string | null>(null);
  const [revealLoad, setRevealLoad] = useState<(() => Promise<Blob>) | null>(null);
  const revealed = useBlobUrl(revealLoad);
  const reasonInput = useRef<HTMLInputElement>(null);
  const reasonId = useId();

  useEffect(() => {
    if (step === 'reason') reasonInput.current?.focus();
  }, [step]);
  useEffect(() => {
    if (revealed.error !== null) {
      setDenied(revealed.error);
      setStep('preview');
      setRevealLoad(null);
    }
  }, [revealed.error]);

  const confirm = (event: SubmitEvent) => {
    event.preventDefault();
    if (reason.trim() === '') return;
    setDenied(null);
    setStep('revealed');
    setRevealLoad(() => async () => {
      try {
        return await api.blob(`/v1/media/${props.sha256}/reveal`, {
          method: 'POST',
          body: { reportId: props.reportId, reason: reason.trim() },
        });
      } finally {
        exposed();
      }
    });
  };

  return (
    <div class="media">
      {step === 'revealed' && revealed.url !== null ? (
        <Spotlight
          url={revealed.url}
          onClose={() => {
            setStep('preview');
            setRevealLoad(null);
            setReason('');
          }}
        />
      ) : preview.url !== null ? (
        <img
          class="preview"
          data-testid="item-preview"
          src={preview.url}
          alt="Blurred greyscale preview"
          width={160}
          height={160}
        />
      ) : (
        <div class="preview-placeholder">{preview.error ?? 'Loading preview…'}</div>
      )}
      {step === 'preview' && (
        <button type="button" data-testid="reveal-button" onClick={() => setStep('reason')}>
          Reveal…
        </button>
      )}
      {step === 'reason' && (
        <form class="reveal-form" onSubmit={confirm}>
          <label for={reasonId}>Why do you need to see it? (kept in the audit trail)</label>
          <input
            id={reasonId}
            ref={reasonInput}
            data-testid="reveal-reason"
            value={reason}
            maxLength={500}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
          <div class="row">
            <button
              type="submit"
              class="primary"
              data-testid="reveal-confirm"
              disabled={reason.trim() === ''}
            >
              Reveal
            </button>
            <button type="button" onClick={() => setStep('preview')}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {step === 'revealed' && revealed.url === null && <p class="muted">Revealing…</p>}
      {denied !== null && (
        <p class="error" role="alert" data-testid="reveal-denied">
          Reveal refused: {denied}
        </p>
      )}
    </div>
  );
}

/** The revealed image blurred, sharp only in a circle under the pointer (or the keyboard's point). */
function Spotlight(props: { url: string; onClose: () => void }) {
  const frame = useRef<HTMLDivElement>(null);
  const [point, setPoint] = useState<{ x: number; y: number } | null>(null);
  const move = (event: PointerEvent) => {
    const box = frame.current?.getBoundingClientRect();
    if (box === undefined) return;
    setPoint({ x: event.clientX - box.left, y: event.clientY - box.top });
  };
  const onKey = (event: KeyboardEvent) => {
    const step = 24;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const delta = moves[event.key];
    if (event.key === 'Escape') return setPoint(null);
    if (delta === undefined) return;
    event.preventDefault();
    const box = frame.current?.getBoundingClientRect();
    const start = point ?? { x: (box?.width ?? 0) / 2, y: (box?.height ?? 0) / 2 };
    setPoint({ x: start.x + delta[0], y: start.y + delta[1] });
  };
  return (
    <div class="spotlight-wrap">
      <div
        ref={frame}
        class="spotlight"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the frame takes arrow keys to move the sharp region
        tabIndex={0}
        role="img"
        aria-label="Revealed image, blurred except around the pointer; arrow keys move the sharp region, Escape blurs it all"
        onPointerMove={move}
        onPointerLeave={() => setPoint(null)}
        onBlur={() => setPoint(null)}
        onKeyDown={onKey}
      >
        <img src={props.url} alt="Revealed, blurred" class="revealed-blurred" draggable={false} />
        {/* Always laid out over the blurred copy; with no pointer its sharp circle sits off the image. */}
        <img
          src={props.url}
          alt=""
          data-testid="revealed-image"
          class="revealed-sharp"
          style={{
            '--x': `${point?.x ?? -1000}px`,
            '--y': `${point?.y ?? -1000}px`,
          }}
          draggable={false}
        />
      </div>
      <button type="button" onClick={props.onClose}>
        Blur again
      </button>
    </div>
  );
}
