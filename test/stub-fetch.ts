import { vi } from 'vitest'
import { present } from './present'

/**
 * Replaces fetch with scripted answers, one per call in order (the last one repeats), and returns the requests made.
 * Restore with vi.restoreAllMocks().
 */
export function stubFetch(...answers: ((request: Request) => Response | Promise<Response>)[]) {
  const requests: Request[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    requests.push(request)
    return present(answers[Math.min(requests.length - 1, answers.length - 1)], 'an answer')(request)
  })
  return requests
}
