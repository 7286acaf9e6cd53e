import { z } from 'zod'
import { BookingRequest, CanceledReason } from '../../ocpi/objects/booking'
import { CountryCode, PartyId } from '../../ocpi/types'

/** What an operator posts: a BookingRequest, request_id and authorization_reference made up when left out, and the CPO to address. */
export const NewBooking = BookingRequest.extend({
  request_id: BookingRequest.shape.request_id.optional(),
  authorization_reference: BookingRequest.shape.authorization_reference.optional(),
  to: z.object({ country_code: CountryCode, party_id: PartyId }).optional(),
})

export const CancelBooking = z.object({ cancellation_reason: CanceledReason.default('NO_CANCELED') })
