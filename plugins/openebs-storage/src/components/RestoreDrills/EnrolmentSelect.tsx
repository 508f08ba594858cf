import TextField from '@material-ui/core/TextField';
import {
  DrillEnrolmentRequest,
  EntityDrills,
} from '@openebs-portal/plugin-openebs-storage-common';

/** Props of {@link EnrolmentSelect}. */
export interface EnrolmentSelectProps {
  drills: EntityDrills;
  disabled: boolean;
  onChange: (request: DrillEnrolmentRequest) => void;
}

/**
 * The owners' choice of scheduled drills. The tab's choice wins while set;
 * "as the annotation says" hands the decision back to catalog-info.yaml.
 */
export function EnrolmentSelect(props: EnrolmentSelectProps) {
  const { drills, disabled, onChange } = props;
  return (
    <TextField
      select
      size="small"
      variant="outlined"
      id="openebs-storage-drill-enrolment"
      label="Scheduled drills"
      value={drills.tabChoice ?? ''}
      disabled={disabled}
      SelectProps={{ native: true }}
      // A native select always shows a value: the label stays above it.
      InputLabelProps={{ shrink: true }}
      onChange={event =>
        onChange({
          cadence:
            event.target.value === ''
              ? null
              : (event.target.value as DrillEnrolmentRequest['cadence']),
        })
      }
    >
      <option value="">
        As the annotation says ({drills.annotated ?? 'none'})
      </option>
      <option value="weekly">Weekly</option>
      <option value="daily">Daily</option>
      <option value="off">Off</option>
    </TextField>
  );
}
